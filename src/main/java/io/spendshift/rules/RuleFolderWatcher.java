package io.spendshift.rules;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.spendshift.SpendshiftConfig;
import io.spendshift.common.ProblemException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reloads the rule set by itself when a file under the rules folder changes. Changes are debounced: the
 * reload waits until the folder has been quiet for {@code spendshift.rules.watch-debounce}, so an editor's
 * burst of writes (or a ConfigMap's symlink swap) is one reload.
 */
@ApplicationScoped
public class RuleFolderWatcher {

    private static final Logger LOG = Logger.getLogger(RuleFolderWatcher.class);

    private final SpendshiftConfig config;
    private final RuleSetService rules;
    private volatile WatchService watcher;
    private volatile Thread thread;

    RuleFolderWatcher(SpendshiftConfig config, RuleSetService rules) {
        this.config = config;
        this.rules = rules;
    }

    void start(@Observes @Priority(20) StartupEvent ev) {
        if (!config.rules().watch()) {
            return;
        }
        Path dir = config.rules().dir();
        try {
            watcher = FileSystems.getDefault().newWatchService();
            registerAll(dir);
        } catch (IOException e) {
            LOG.warnf("Cannot watch %s for changes (%s); reload with POST /api/v1/rules/reload", dir, e.getMessage());
            return;
        }
        thread = new Thread(this::loop, "rules-watcher");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Watching %s for rule changes", dir.toAbsolutePath());
    }

    void stop(@Observes ShutdownEvent ev) {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing on shutdown
        }
    }

    private void registerAll(Path dir) throws IOException {
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void loop() {
        long quietMs = Math.max(50, config.rules().watchDebounce().toMillis());
        try {
            while (true) {
                WatchKey key = watcher.take();
                drain(key);
                // debounce: keep collecting until the folder has been quiet long enough
                WatchKey more;
                while ((more = watcher.poll(quietMs, TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    registerAll(config.rules().dir());
                    rules.reload(io.spendshift.security.Actors.FILE_WATCHER);
                } catch (ProblemException e) {
                    LOG.warnf("Rule change rejected: %s", e.getMessage());
                } catch (IOException | RuntimeException | Error e) {
                    // the watcher thread must survive whatever a reload throws, or the folder stops being watched
                    LOG.error("Reload after a rule change failed", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }
}
