package dev.nautilus.accel.nativeaccess;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds and loads the shim libraries ({@code libna_<module>.so} / {@code .dylib}). One loader for
 * every module; each library is loaded at most once per JVM.
 *
 * <p>Search order, first success wins:
 * <ol>
 *   <li>Explicit: {@code -Dnautilus.native.<library>=FILE} (e.g. {@code -Dnautilus.native.na_shm=/opt/libna_shm.so})
 *       or {@code -Dnautilus.native.dir=DIR}. When set, nothing else is tried: a wrong explicit
 *       setting is an error, never silently bypassed.</li>
 *   <li>The jar: {@code META-INF/native/<os>-<arch>/<file>} with its SHA-256 beside it
 *       ({@code <file>.sha256}). The bytes are checked against the hash, extracted to a
 *       per-user, per-version cache folder (written to a temporary file, then moved atomically),
 *       and test-loaded. When a folder cannot be written or loading from it fails (a
 *       {@code noexec} mount), the next folder is tried: {@code -Dnautilus.native.extractDir},
 *       {@code $XDG_CACHE_HOME/nautilus-accel} (default {@code ~/.cache/nautilus-accel}), then
 *       {@code java.io.tmpdir/nautilus-accel-<user>}.</li>
 *   <li>The development tree: {@code native/build/<os>-<arch>/} (what {@code make native} builds),
 *       looked up from the working directory and from where these classes were loaded.</li>
 * </ol>
 * When everything fails, {@link NativeLibraryLoadException} lists every path tried and why.
 *
 * <p>Thread-safe.
 */
public final class NativeLoader {
    /** System property: directory that holds the shim libraries. */
    public static final String PROP_DIR = "nautilus.native.dir";
    /** System property prefix: {@code nautilus.native.<library>} names one library file. */
    public static final String PROP_FILE_PREFIX = "nautilus.native.";
    /** System property: first folder to extract the jar's libraries into. */
    public static final String PROP_EXTRACT_DIR = "nautilus.native.extractDir";
    /** Folder of the natives inside the jar. */
    public static final String RESOURCE_ROOT = "META-INF/native/";

    private static final NativeLoader DEFAULT = new NativeLoader(Config.system());

    private final Config config;
    private final Map<String, Path> loaded = new ConcurrentHashMap<>();

    NativeLoader(Config config) {
        this.config = Objects.requireNonNull(config);
    }

    /** @return the loader every module uses */
    public static NativeLoader getDefault() {
        return DEFAULT;
    }

    /**
     * Loads a shim library unless this loader already has.
     *
     * @param library base name, e.g. {@code na_shm}
     * @return the file that was loaded
     * @throws NativeLibraryLoadException listing every location tried
     */
    public Path load(String library) {
        Path done = loaded.get(library);
        if (done != null) {
            return done;
        }
        synchronized (this) {
            done = loaded.get(library);
            if (done != null) {
                return done;
            }
            Path p = find(library);
            loaded.put(library, p);
            return p;
        }
    }

    /**
     * @param library base name, e.g. {@code na_shm}
     * @return the file this loader loaded for that library, or null if none yet
     */
    public Path loadedPath(String library) {
        return loaded.get(library);
    }

    private Path find(String library) {
        String file = Platform.libraryFileName(library);
        List<String> attempts = new ArrayList<>();
        Throwable lastError = null;

        // 1. explicit
        String explicitFile = config.property.apply(PROP_FILE_PREFIX + library);
        String explicitDir = config.property.apply(PROP_DIR);
        if (explicitFile != null || explicitDir != null) {
            Path p = explicitFile != null ? Path.of(explicitFile) : Path.of(explicitDir).resolve(file);
            String what = explicitFile != null
                    ? "-D" + PROP_FILE_PREFIX + library + "=" + explicitFile
                    : "-D" + PROP_DIR + "=" + explicitDir;
            if (!Files.isRegularFile(p)) {
                attempts.add(p + " (from " + what + "): no such file");
            } else {
                try {
                    config.loader.accept(p.toAbsolutePath());
                    return p.toAbsolutePath();
                } catch (UnsatisfiedLinkError | SecurityException e) {
                    attempts.add(p + " (from " + what + "): load failed: " + e.getMessage());
                    lastError = e;
                }
            }
            throw new NativeLibraryLoadException(library, attempts,
                    "fix or remove " + what + " (it must name " + (explicitFile != null ? "the file" : "a directory holding " + file)
                            + " built for " + Platform.id() + ")", lastError);
        }

        // 2. jar resources, extracted
        String resource = RESOURCE_ROOT + Platform.id() + "/" + file;
        byte[] bytes = null;
        String expected = null;
        try {
            bytes = config.resources.apply(resource);
            if (bytes == null) {
                attempts.add("class path resource " + resource + ": not found (this jar was built without natives for "
                        + Platform.id() + ")");
            } else {
                byte[] sha = config.resources.apply(resource + ".sha256");
                if (sha == null) {
                    attempts.add("class path resource " + resource + ": no " + file + ".sha256 beside it; refusing to load an unverified library");
                    bytes = null;
                } else {
                    expected = new String(sha, StandardCharsets.US_ASCII).trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
                    String actual = sha256(bytes);
                    if (!actual.equals(expected)) {
                        attempts.add("class path resource " + resource + ": SHA-256 mismatch (expected " + expected
                                + ", found " + actual + "); the jar is corrupt or was repacked");
                        bytes = null;
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            attempts.add("class path resource " + resource + ": could not be read: " + e.getCause());
            bytes = null;
        }
        if (bytes != null) {
            for (Path root : config.extractRoots) {
                Path dir = root.resolve(config.version).resolve(Platform.id()).resolve(expected.substring(0, 16));
                Path target = dir.resolve(file);
                try {
                    extract(bytes, expected, target);
                } catch (IOException | RuntimeException e) {
                    attempts.add(target + ": could not extract: " + e);
                    continue;
                }
                try {
                    config.loader.accept(target);
                    return target;
                } catch (UnsatisfiedLinkError | SecurityException e) {
                    attempts.add(target + ": extracted but load failed (a noexec mount?): " + e.getMessage());
                    lastError = e;
                }
            }
        }

        // 3. development tree
        for (Path dir : config.devDirs) {
            Path p = dir.resolve(Platform.id()).resolve(file).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) {
                attempts.add(p + ": not found");
                continue;
            }
            try {
                config.loader.accept(p);
                return p;
            } catch (UnsatisfiedLinkError | SecurityException e) {
                attempts.add(p + ": load failed: " + e.getMessage());
                lastError = e;
            }
        }
        throw new NativeLibraryLoadException(library, attempts,
                "build the natives with `make native` (development tree), use a nautilus-accel jar built with natives for "
                        + Platform.id() + ", or set -D" + PROP_DIR + "=DIR to a directory holding " + file
                        + "; for a noexec cache or /tmp set -D" + PROP_EXTRACT_DIR + "=DIR to an executable folder",
                lastError);
    }

    private static void extract(byte[] bytes, String sha, Path target) throws IOException {
        if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(sha)) {
            return; // already extracted and intact
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            if (!sha256(Files.readAllBytes(tmp)).equals(sha)) {
                throw new IOException("written file does not match its SHA-256 (disk full?)");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required on every JVM", e);
        }
    }

    /** Where and how to look; the system configuration or a test's. */
    static final class Config {
        final Function<String, String> property;
        final Function<String, byte[]> resources; // null when absent; may throw UncheckedIOException
        final List<Path> extractRoots;
        final List<Path> devDirs;
        final Consumer<Path> loader;
        final String version;

        Config(Function<String, String> property, ResourceReader resources, List<Path> extractRoots,
               List<Path> devDirs, Consumer<Path> loader, String version) {
            this.property = property;
            this.resources = name -> {
                try {
                    return resources.read(name);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            this.extractRoots = List.copyOf(extractRoots);
            this.devDirs = List.copyOf(devDirs);
            this.loader = loader;
            this.version = version;
        }

        static Config system() {
            ClassLoader cl = NativeLoader.class.getClassLoader();
            ResourceReader reader = name -> {
                URL url = cl == null ? ClassLoader.getSystemResource(name) : cl.getResource(name);
                if (url == null) {
                    return null;
                }
                try (InputStream in = url.openStream()) {
                    return in.readAllBytes();
                }
            };
            return new Config(System::getProperty, reader, defaultExtractRoots(), defaultDevDirs(),
                    p -> System.load(p.toString()), Version.get());
        }

        static List<Path> defaultExtractRoots() {
            Set<Path> roots = new LinkedHashSet<>();
            String explicit = System.getProperty(PROP_EXTRACT_DIR);
            if (explicit != null && !explicit.isBlank()) {
                roots.add(Path.of(explicit));
            }
            String xdg = System.getenv("XDG_CACHE_HOME");
            String home = System.getProperty("user.home");
            if (xdg != null && !xdg.isBlank()) {
                roots.add(Path.of(xdg, "nautilus-accel"));
            } else if (home != null && !home.isBlank() && !home.equals("?")) {
                roots.add(Path.of(home, ".cache", "nautilus-accel"));
            }
            String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
            roots.add(Path.of(System.getProperty("java.io.tmpdir"), "nautilus-accel-" + user));
            return List.copyOf(roots);
        }

        static List<Path> defaultDevDirs() {
            Set<Path> dirs = new LinkedHashSet<>();
            String basedir = System.getProperty("nautilus.test.basedir");
            if (basedir != null) {
                dirs.add(Path.of(basedir, "native", "build").toAbsolutePath().normalize());
            }
            dirs.add(Path.of("native", "build").toAbsolutePath().normalize());
            try {
                CodeSource cs = NativeLoader.class.getProtectionDomain().getCodeSource();
                if (cs != null && cs.getLocation() != null) {
                    Path p = Path.of(cs.getLocation().toURI()).toAbsolutePath();
                    for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
                        Path candidate = p.resolve("native").resolve("build");
                        if (Files.isDirectory(candidate)) {
                            dirs.add(candidate.normalize());
                        }
                    }
                }
            } catch (URISyntaxException | SecurityException | IllegalArgumentException ignored) {
                // unusual code source: the other locations still apply
            }
            return List.copyOf(dirs);
        }
    }

    /** Reads a class path resource; null when absent. */
    @FunctionalInterface
    interface ResourceReader {
        byte[] read(String name) throws IOException;
    }
}
