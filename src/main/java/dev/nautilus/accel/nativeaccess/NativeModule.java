package dev.nautilus.accel.nativeaccess;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Availability of one native module (shm, affinity, dpdk, ...), decided once per JVM by a real
 * probe: native access is enabled, the module is not disabled, the platform is supported, its
 * library loads, and a probe call into it succeeds. Nothing degrades silently: an unavailable
 * module throws {@link NativeUnavailableException} from {@link #ensureAvailable()} with the cause.
 *
 * <p>A module is turned off with {@code -Dnautilus.<name>.disabled=true}.
 *
 * <p>Thread-safe; the probe runs at most once.
 */
public final class NativeModule {
    /** Thrown by a probe to make the module unavailable with a message. */
    @FunctionalInterface
    public interface Probe {
        /**
         * Checks the module works here (after its library was loaded).
         *
         * @throws Exception when it does not; wrapped in the unavailability cause
         */
        void run() throws Exception;
    }

    private final String name;
    private final String library;
    private final String description;
    private final Probe probe;
    private final Function<String, String> properties;
    private final NativeLoader loader;
    private final boolean requiresSupportedOs;
    private volatile Optional<NativeUnavailableException> cause;

    /**
     * @param name short module name, e.g. {@code shm}; the disable property is {@code nautilus.<name>.disabled}
     * @param library shim library base name, e.g. {@code na_shm}
     * @param description one line for {@code nautilus doctor}
     * @param probe a real call into the library that proves it works
     */
    public NativeModule(String name, String library, String description, Probe probe) {
        this(name, library, description, probe, System::getProperty, NativeLoader.getDefault(), true);
    }

    NativeModule(String name, String library, String description, Probe probe,
                 Function<String, String> properties, NativeLoader loader, boolean requiresSupportedOs) {
        this.name = Objects.requireNonNull(name);
        this.library = Objects.requireNonNull(library);
        this.description = Objects.requireNonNull(description);
        this.probe = Objects.requireNonNull(probe);
        this.properties = properties;
        this.loader = loader;
        this.requiresSupportedOs = requiresSupportedOs;
    }

    /** @return the module's short name, e.g. {@code shm} */
    public String name() {
        return name;
    }

    /** @return the shim library's base name, e.g. {@code na_shm} */
    public String library() {
        return library;
    }

    /** @return one line saying what the module does */
    public String description() {
        return description;
    }

    /** @return the system property that disables the module */
    public String disableProperty() {
        return "nautilus." + name + ".disabled";
    }

    /** @return true when the module can be used in this JVM (runs the probe the first time) */
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** @throws NativeUnavailableException saying why the module cannot be used, and the fix */
    public void ensureAvailable() {
        Optional<NativeUnavailableException> c = unavailabilityCause();
        if (c.isPresent()) {
            NativeUnavailableException e = c.get();
            // a fresh exception with this call's stack, the probe's failure as its cause
            throw e instanceof UnsupportedPlatformException u ? new UnsupportedPlatformException(u.getMessage())
                    : new NativeUnavailableException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }

    /** @return why the module is unavailable, or empty when it is available */
    public Optional<NativeUnavailableException> unavailabilityCause() {
        Optional<NativeUnavailableException> c = cause;
        if (c == null) {
            synchronized (this) {
                c = cause;
                if (c == null) {
                    c = Optional.ofNullable(decide());
                    cause = c;
                }
            }
        }
        return c;
    }

    /** @return where the library was loaded from, or empty when it was not */
    public Optional<java.nio.file.Path> libraryPath() {
        return Optional.ofNullable(loader.loadedPath(library));
    }

    private NativeUnavailableException decide() {
        String prop = disableProperty();
        if (Boolean.parseBoolean(properties.apply(prop))) {
            return new NativeUnavailableException("module " + name + " is disabled by -D" + prop
                    + "=true; remove that property to use it");
        }
        if (requiresSupportedOs && !(Platform.isLinux() || Platform.isMac())) {
            return UnsupportedPlatformException.of("module " + name, "it supports Linux and macOS");
        }
        if (!NativeAccess.isEnabled()) {
            return new NativeUnavailableException("module " + name + " is unavailable: " + NativeAccess.disabledMessage());
        }
        try {
            loader.load(library);
        } catch (NativeLibraryLoadException e) {
            return new NativeUnavailableException("module " + name + " is unavailable: " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            return new NativeUnavailableException("module " + name + " is unavailable: loading " + library
                    + " failed: " + e, e);
        }
        try {
            probe.run();
        } catch (NativeUnavailableException e) {
            return e;
        } catch (Exception | LinkageError e) {
            return new NativeUnavailableException("module " + name + " is unavailable: its probe call into "
                    + library + " failed: " + e, e);
        }
        return null;
    }

    @Override
    public String toString() {
        return "NativeModule[" + name + ", " + (isAvailable() ? "available" : "unavailable") + "]";
    }
}
