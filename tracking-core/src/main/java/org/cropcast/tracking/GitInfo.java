package org.cropcast.tracking;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The git state of the code or configuration a run came from. Outside a git repository, or
 * without a {@code git} executable and a readable {@code .git}, every field is
 * {@value #UNKNOWN}: capturing metadata never fails a run.
 *
 * @param commit the full commit hash, or {@value #UNKNOWN}
 * @param shortCommit the first 7 characters of the hash, or {@value #UNKNOWN}
 * @param dirty {@code true}, {@code false} or {@value #UNKNOWN}
 */
public record GitInfo(String commit, String shortCommit, String dirty) {
    public static final String UNKNOWN = "unknown";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");
    private static final long TIMEOUT_SECONDS = 10;

    public GitInfo {
        requireNonNull(commit, "commit is null");
        requireNonNull(shortCommit, "shortCommit is null");
        requireNonNull(dirty, "dirty is null");
    }

    public static GitInfo unknown() {
        return new GitInfo(UNKNOWN, UNKNOWN, UNKNOWN);
    }

    /**
     * Probes the repository containing {@code directory}: first with the {@code git} executable
     * ({@code rev-parse HEAD}, {@code status --porcelain}), else by reading {@code .git/HEAD}
     * (dirty then unknown), else {@link #unknown()}.
     */
    public static GitInfo probe(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Optional<String> head = run(dir, "git", "rev-parse", "--verify", "HEAD");
        if (head.isPresent() && HASH.matcher(head.get()).matches()) {
            String dirty = run(dir, "git", "status", "--porcelain", "--untracked-files=no")
                    .map(out -> out.isEmpty() ? "false" : "true")
                    .orElse(UNKNOWN);
            return of(head.get(), dirty);
        }
        return readDotGit(dir).map(hash -> of(hash, UNKNOWN)).orElseGet(GitInfo::unknown);
    }

    private static GitInfo of(String hash, String dirty) {
        return new GitInfo(hash, hash.substring(0, 7), dirty);
    }

    private static Optional<String> run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
            process.getOutputStream().close();
            // drain stderr so the process never blocks on a full pipe
            Thread drain = new Thread(() -> {
                try (InputStream err = process.getErrorStream()) {
                    err.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the process is gone; nothing to drain
                }
            });
            drain.setDaemon(true);
            drain.start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Reads HEAD from the nearest {@code .git} directory (detached hash or a loose/packed ref). */
    static Optional<String> readDotGit(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path git = d.resolve(".git");
            if (!Files.isDirectory(git)) {
                continue;
            }
            try {
                String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).strip();
                if (HASH.matcher(head).matches()) {
                    return Optional.of(head);
                }
                if (head.startsWith("ref: ")) {
                    String ref = head.substring(5).strip();
                    Path loose = git.resolve(ref);
                    if (Files.isRegularFile(loose)) {
                        String hash = Files.readString(loose, StandardCharsets.UTF_8).strip();
                        return HASH.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
                    }
                    Path packed = git.resolve("packed-refs");
                    if (Files.isRegularFile(packed)) {
                        List<String> lines = Files.readAllLines(packed, StandardCharsets.UTF_8);
                        for (String line : lines) {
                            String[] parts = line.split(" ");
                            if (parts.length == 2 && parts[1].equals(ref) && HASH.matcher(parts[0]).matches()) {
                                return Optional.of(parts[0]);
                            }
                        }
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
