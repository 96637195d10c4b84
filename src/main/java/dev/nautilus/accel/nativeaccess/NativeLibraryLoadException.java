package dev.nautilus.accel.nativeaccess;

import java.util.List;

/**
 * A shim library could not be loaded. The message lists every location tried with the reason it
 * failed, the platform, and what to do; {@link #attempts()} gives the same list to programs.
 */
public final class NativeLibraryLoadException extends NativeUnavailableException {
    private static final long serialVersionUID = 1L;
    private final String library;
    private final transient List<String> attempts;

    NativeLibraryLoadException(String library, List<String> attempts, String fix, Throwable cause) {
        super(format(library, attempts, fix), cause);
        this.library = library;
        this.attempts = List.copyOf(attempts);
    }

    /** @return the library's base name, e.g. {@code na_shm} */
    public String library() {
        return library;
    }

    /** @return one line per location tried: where, and why it failed */
    public List<String> attempts() {
        return attempts;
    }

    private static String format(String library, List<String> attempts, String fix) {
        StringBuilder sb = new StringBuilder();
        sb.append("could not load native library ").append(library).append(" (")
                .append(Platform.libraryFileName(library)).append(") for ").append(Platform.id())
                .append(". Tried:");
        for (String a : attempts) {
            sb.append("\n  - ").append(a);
        }
        sb.append("\nFix: ").append(fix);
        return sb.toString();
    }
}
