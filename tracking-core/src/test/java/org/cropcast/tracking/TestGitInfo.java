package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestGitInfo {
    @TempDir
    Path temp;

    private void git(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        command[0] = "git";
        command[1] = "-c";
        command[2] = "user.name=test";
        command[3] = "-c";
        command[4] = "user.email=test@example.com";
        System.arraycopy(args, 0, command, 5, args.length);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
    }

    private Path repository() throws Exception {
        Path repo = Files.createDirectories(temp.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("config.yaml"), "a: 1\n");
        git(repo, "add", "config.yaml");
        git(repo, "commit", "-q", "-m", "first");
        return repo;
    }

    @Test
    void cleanRepository() throws Exception {
        Path repo = repository();
        GitInfo info = GitInfo.probe(Files.createDirectories(repo.resolve("sub")));
        assertThat(info.commit()).matches("[0-9a-f]{40}");
        assertThat(info.shortCommit()).isEqualTo(info.commit().substring(0, 7));
        assertThat(info.dirty()).isEqualTo("false");
    }

    @Test
    void dirtyRepository() throws Exception {
        Path repo = repository();
        Files.writeString(repo.resolve("config.yaml"), "a: 2\n");
        assertThat(GitInfo.probe(repo).dirty()).isEqualTo("true");
    }

    @Test
    void outsideARepositoryEverythingIsUnknown() {
        assertThat(GitInfo.probe(temp)).isEqualTo(GitInfo.unknown());
        assertThat(GitInfo.unknown().commit()).isEqualTo("unknown");
    }

    @Test
    void readsDotGitWhenTheExecutableCannotAnswer() throws Exception {
        Path repo = repository();
        String head = GitInfo.probe(repo).commit();
        assertThat(GitInfo.readDotGit(repo.resolve("nested/dir"))).contains(head);
        git(repo, "pack-refs", "--all");
        assertThat(GitInfo.readDotGit(repo)).contains(head);
        Path fake = Files.createDirectories(temp.resolve("fake/.git"));
        Files.writeString(fake.resolve("HEAD"), "ref: refs/heads/main\n");
        assertThat(GitInfo.readDotGit(temp.resolve("fake"))).isEmpty();
    }
}
