package dev.nautilus.accel.nativeaccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class NativeLoaderTest {
    private static final String LIB = "na_fake";
    private static final String FILE = Platform.libraryFileName(LIB);
    private static final String RESOURCE = NativeLoader.RESOURCE_ROOT + Platform.id() + "/" + FILE;
    private static final byte[] BYTES = "not really a shared library".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private final Map<String, String> props = new HashMap<>();
    private final Map<String, byte[]> resources = new HashMap<>();
    private final List<Path> loadedPaths = new ArrayList<>();
    private Consumer<Path> loadFn = loadedPaths::add;

    private NativeLoader loader(List<Path> extractRoots, List<Path> devDirs) {
        return new NativeLoader(new NativeLoader.Config(props::get, resources::get, extractRoots, devDirs,
                p -> loadFn.accept(p), "9.9.9-test"));
    }

    private void putResource(byte[] bytes, String sha) {
        resources.put(RESOURCE, bytes);
        if (sha != null) {
            resources.put(RESOURCE + ".sha256", (sha + "  " + FILE + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldExtractVerifiedResourceToVersionedCacheAndLoadIt() throws IOException {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        Path root = tmp.resolve("cache");
        Path p = loader(List.of(root), List.of()).load(LIB);
        assertTrue(p.startsWith(root.resolve("9.9.9-test").resolve(Platform.id())), p.toString());
        assertEquals(FILE, p.getFileName().toString());
        assertArrayEquals(BYTES, Files.readAllBytes(p));
        assertEquals(List.of(p), loadedPaths);
        try (var files = Files.list(p.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void shouldLoadEachLibraryOnlyOnce() {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        NativeLoader l = loader(List.of(tmp), List.of());
        Path a = l.load(LIB);
        Path b = l.load(LIB);
        assertEquals(a, b);
        assertEquals(1, loadedPaths.size());
        assertEquals(a, l.loadedPath(LIB));
    }

    @Test
    void shouldReplaceACorruptedCachedCopy() throws IOException {
        String sha = NativeLoader.sha256(BYTES);
        putResource(BYTES, sha);
        Path target = tmp.resolve("9.9.9-test").resolve(Platform.id()).resolve(sha.substring(0, 16)).resolve(FILE);
        Files.createDirectories(target.getParent());
        Files.writeString(target, "tampered");
        Path p = loader(List.of(tmp), List.of()).load(LIB);
        assertEquals(target, p);
        assertArrayEquals(BYTES, Files.readAllBytes(p));
    }

    @Test
    void shouldRefuseAResourceWhoseHashDoesNotMatch() {
        putResource(BYTES, "00".repeat(32));
        NativeLibraryLoadException e = assertThrows(NativeLibraryLoadException.class,
                () -> loader(List.of(tmp), List.of()).load(LIB));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("the jar is corrupt"), e.getMessage());
        assertTrue(loadedPaths.isEmpty(), "nothing unverified was loaded");
    }

    @Test
    void shouldRefuseAResourceWithoutChecksum() {
        putResource(BYTES, null);
        NativeLibraryLoadException e = assertThrows(NativeLibraryLoadException.class,
                () -> loader(List.of(tmp), List.of()).load(LIB));
        assertTrue(e.getMessage().contains("refusing to load an unverified library"), e.getMessage());
        assertTrue(loadedPaths.isEmpty());
    }

    @Test
    void shouldTryTheNextFolderWhenLoadingFromTheFirstFails() {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        Path noexec = tmp.resolve("noexec");
        Path good = tmp.resolve("good");
        loadFn = p -> {
            if (p.startsWith(noexec)) {
                throw new UnsatisfiedLinkError(p + ": failed to map segment from shared object");
            }
            loadedPaths.add(p);
        };
        Path p = loader(List.of(noexec, good), List.of()).load(LIB);
        assertTrue(p.startsWith(good), p.toString());
        assertEquals(List.of(p), loadedPaths);
    }

    @Test
    void shouldTryTheNextFolderWhenTheFirstCannotBeWritten() throws IOException {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        Path notADir = Files.writeString(tmp.resolve("plain-file"), "x"); // mkdir under it fails, even for root
        Path good = tmp.resolve("good");
        Path p = loader(List.of(notADir, good), List.of()).load(LIB);
        assertTrue(p.startsWith(good), p.toString());
    }

    @Test
    void shouldListEveryPathTriedAndTheFixWhenNothingLoads() throws IOException {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path dev = tmp.resolve("dev");
        Files.createDirectories(dev.resolve(Platform.id()));
        Files.write(dev.resolve(Platform.id()).resolve(FILE), BYTES);
        loadFn = p -> {
            throw new UnsatisfiedLinkError("cannot open " + p);
        };
        NativeLibraryLoadException e = assertThrows(NativeLibraryLoadException.class,
                () -> loader(List.of(a, b), List.of(dev, tmp.resolve("missing"))).load(LIB));
        String m = e.getMessage();
        assertTrue(m.startsWith("could not load native library na_fake (" + FILE + ") for " + Platform.id()), m);
        assertTrue(m.contains(a.toString()) && m.contains(b.toString()), m);
        assertTrue(m.contains(dev.resolve(Platform.id()).resolve(FILE).toString() + ": load failed"), m);
        assertTrue(m.contains(tmp.resolve("missing").resolve(Platform.id()).resolve(FILE) + ": not found"), m);
        assertTrue(m.contains("make native"), m);
        assertTrue(m.contains("-Dnautilus.native.dir"), m);
        assertEquals(4, e.attempts().size(), e.attempts().toString());
    }

    @Test
    void shouldUseTheDevelopmentTreeWhenTheJarHasNoNatives() throws IOException {
        Path dev = tmp.resolve("native-build");
        Path lib = dev.resolve(Platform.id()).resolve(FILE);
        Files.createDirectories(lib.getParent());
        Files.write(lib, BYTES);
        Path p = loader(List.of(tmp.resolve("cache")), List.of(tmp.resolve("nope"), dev)).load(LIB);
        assertEquals(lib.toAbsolutePath(), p);
    }

    @Test
    void shouldPreferAnExplicitDirectoryOverTheJar() throws IOException {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        Path dir = Files.createDirectories(tmp.resolve("explicit"));
        Files.write(dir.resolve(FILE), BYTES);
        props.put(NativeLoader.PROP_DIR, dir.toString());
        Path p = loader(List.of(tmp.resolve("cache")), List.of()).load(LIB);
        assertEquals(dir.resolve(FILE).toAbsolutePath(), p);
    }

    @Test
    void shouldFailOnAWrongExplicitFileInsteadOfFallingBack() {
        putResource(BYTES, NativeLoader.sha256(BYTES));
        props.put(NativeLoader.PROP_FILE_PREFIX + LIB, tmp.resolve("nope.so").toString());
        NativeLibraryLoadException e = assertThrows(NativeLibraryLoadException.class,
                () -> loader(List.of(tmp.resolve("cache")), List.of()).load(LIB));
        assertTrue(e.getMessage().contains("-Dnautilus.native.na_fake=" + tmp.resolve("nope.so")), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(loadedPaths.isEmpty(), "an explicit setting is never silently bypassed");
    }

    @Test
    void shouldLoadTheRealShimThroughTheDefaultLoader() {
        Path p = NativeLoader.getDefault().load("na_shm");
        assertTrue(Files.isRegularFile(p), p.toString());
        assertEquals(Platform.libraryFileName("na_shm"), p.getFileName().toString());
    }
}
