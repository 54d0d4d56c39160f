package org.cropcast.pipeline.runs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.cropcast.pipeline.errors.AppErrorCode;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.Location;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TrackingErrorCode;

/**
 * The exclusive lock a process holds on a local run directory while it works in it: an OS file
 * lock ({@link FileChannel#tryLock()}) on {@value #FILE} in the directory, taken before anything
 * of the run is touched (a resume's clean-up of unfinished writes included) and held until the
 * run has ended. A second process finding the lock taken is refused at once
 * ({@link AppErrorCode#RUN_DIRECTORY_BUSY}, exit 3: another process, not the input, is the
 * obstacle, and it passes when that process ends). The OS drops the lock when the holder dies,
 * SIGKILL included, so a killed run's directory can be resumed at once. The file stays (removing
 * it would let a process lock a file another has just unlinked); it records the holder's pid for
 * the refusal message. Object stores have no such lock: a run directory there is not locked.
 */
final class RunDirectoryLock implements AutoCloseable {
    /** The lock file in a run directory. */
    static final String FILE = ".cropcast-lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code directory} if it is an existing local directory; refuses if another process holds it. */
    static Optional<RunDirectoryLock> acquire(Location directory) {
        if (!directory.isLocal() || !Files.isDirectory(directory.localPath())) {
            return Optional.empty();
        }
        Path file = directory.localPath().resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot open the lock file " + file + ": "
                    + Redactor.truncateForMessage(String.valueOf(e.getMessage())), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process (another invocation in the same JVM)
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new CropcastException(AppErrorCode.RUN_DIRECTORY_BUSY, "--run-dir " + directory + " is in use by another cropcast"
                        + " process" + holder + " (it holds " + FILE + "); wait for it to end, or use another run directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return Optional.of(new RunDirectoryLock(channel, lock));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot lock " + file + ": "
                    + Redactor.truncateForMessage(String.valueOf(e.getMessage())), e);
        }
    }

    /** " (pid N)" as the holder wrote it, or nothing if the file does not say. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9]{1,19}") ? " (pid " + text + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below drops the lock too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
