package dev.loopwire.intellij.services;

import com.intellij.openapi.Disposable;
import com.intellij.openapi.application.ApplicationManager;
import com.intellij.openapi.components.Service;
import com.intellij.openapi.fileEditor.FileEditorManager;
import com.intellij.openapi.project.Project;
import com.intellij.openapi.vfs.LocalFileSystem;
import com.intellij.openapi.vfs.VirtualFile;
import dev.loopwire.intellij.LoopwireBundle;
import dev.loopwire.intellij.core.ConnectionState;
import dev.loopwire.intellij.core.LoopCommands;
import dev.loopwire.intellij.core.LoopStore;
import dev.loopwire.intellij.core.LoopStoreListener;
import dev.loopwire.intellij.core.RestartPolicy;
import dev.loopwire.intellij.core.ServerCommand;
import dev.loopwire.intellij.core.ServerSupervisor;
import dev.loopwire.intellij.notifications.LoopwireNotifier;
import dev.loopwire.intellij.settings.LoopwireSettings;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The project's Loopwire connection: owns the server process (through the core's
 * {@link ServerSupervisor}), the {@link LoopStore} of this project's loops, the
 * {@link LoopCommands} the UI sends intents through, and the notifications. RPC runs on the
 * service's own pool, never on the UI thread.
 */
@Service(Service.Level.PROJECT)
public final class LoopwireProjectService implements Disposable {

    private static final Logger LOG = Logger.getLogger("dev.loopwire.intellij");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Project project;
    private final String workspace;
    private final LoopStore store;
    private final ExecutorService rpc = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopwire-rpc-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ServerSupervisor supervisor;
    private final LoopCommands commands;
    private final LoopwireNotifier notifier;
    private volatile Supplier<String> selection = () -> null;

    /** Created by the platform, once per project. */
    public LoopwireProjectService(Project project) {
        this.project = project;
        this.workspace = project.getBasePath();
        this.store = new LoopStore(workspace);
        this.supervisor = new ServerSupervisor(
                () -> ServerCommand.resolve(LoopwireSettings.getInstance().serverSettings(), System.getenv(),
                        ServerCommand.pluginDirOf(LoopwireProjectService.class)),
                Path.of(workspace == null ? System.getProperty("user.home") : workspace), store,
                RestartPolicy.standard(), new ClientInfo("Loopwire for IntelliJ", version()),
                workspace == null ? List.of() : List.of(workspace), line -> LOG.fine(() -> "server: " + line));
        this.commands = new LoopCommands(supervisor::server, rpc, store);
        this.notifier = new LoopwireNotifier(project, commands, this::restart);
        store.addListener(notifier);
        store.addListener(new LoopStoreListener() {
            @Override
            public void memoryChanged(String loopId, String path) {
                // the server (or the agent) changed the memory file: let open editors show it
                ApplicationManager.getApplication().invokeLater(
                        () -> LocalFileSystem.getInstance().refreshAndFindFileByNioFile(Path.of(path)));
            }
        });
        supervisor.addConnectedListener(server -> store.rebuild(server).exceptionally(t -> {
            notifier.requestFailed("loop/list", LoopCommands.describe(t));
            return null;
        }));
        supervisor.addStateListener(state -> {
            if (state.phase() == ConnectionState.Phase.FAILED) {
                notifier.serverFailed(state.message());
            }
        });
    }

    /** The service of {@code project}. */
    public static LoopwireProjectService getInstance(Project project) {
        return project.getService(LoopwireProjectService.class);
    }

    /** Starts the server unless it runs (or is starting); returns at once. */
    public void ensureStarted() {
        ConnectionState.Phase phase = supervisor.state().phase();
        if (phase == ConnectionState.Phase.STOPPED) {
            supervisor.start();
        }
    }

    /** The person's Restart: forgets past crashes and starts the server again. */
    public void restart() {
        supervisor.restart();
    }

    /** The project's loops. */
    public LoopStore store() {
        return store;
    }

    /** Intents as requests. */
    public LoopCommands commands() {
        return commands;
    }

    /** The supervised server. */
    public ServerSupervisor supervisor() {
        return supervisor;
    }

    /** Notifications. */
    public LoopwireNotifier notifier() {
        return notifier;
    }

    /** The project folder, the loops' workspace. */
    public String workspace() {
        return workspace;
    }

    /** Where the tool window tells which loop is selected. */
    public void setSelection(Supplier<String> selection) {
        this.selection = selection;
    }

    /**
     * The loop actions act on: the one selected in the tool window, else the only loop, else the
     * newest active one. {@code null} when there is none.
     */
    public LoopSnapshot targetLoop() {
        String id = selection.get();
        List<LoopSnapshot> loops = store.snapshots();
        if (id != null) {
            for (LoopSnapshot s : loops) {
                if (s.loopId().equals(id)) {
                    return s;
                }
            }
        }
        if (loops.size() == 1) {
            return loops.get(0);
        }
        for (int i = loops.size() - 1; i >= 0; i--) {
            if (LoopStatus.fromWire(loops.get(i).status()).map(LoopStatus::isActive).orElse(false)) {
                return loops.get(i);
            }
        }
        return null;
    }

    /** Asks the server for the memory file and opens it in an editor. */
    public void openMemory(String loopId) {
        commands.memory(loopId).whenComplete((memory, t) -> {
            if (t != null) {
                notifier.requestFailed("loop/memory", LoopCommands.describe(t));
            } else {
                openInEditor(Path.of(memory.path()));
            }
        });
    }

    /** Opens the loop's journal ({@code .loopwire/loops/<id>/journal.jsonl}) in an editor. */
    public void openJournal(String loopId) {
        LoopSnapshot s = store.view(loopId) == null ? null : store.view(loopId).snapshot();
        String ws = s != null && s.workspace() != null ? s.workspace() : workspace;
        openInEditor(Path.of(ws, ".loopwire", "loops", loopId, "journal.jsonl"));
    }

    private void openInEditor(Path path) {
        ApplicationManager.getApplication().invokeLater(() -> {
            VirtualFile file = LocalFileSystem.getInstance().refreshAndFindFileByNioFile(path);
            if (file == null) {
                notifier.requestFailed("open", LoopwireBundle.message("open.missing", path));
                return;
            }
            FileEditorManager.getInstance(project).openFile(file, true);
        });
    }

    @Override
    public void dispose() {
        store.removeListener(notifier);
        Thread stopper = new Thread(() -> {
            supervisor.close();
            rpc.shutdownNow();
        }, "loopwire-stop");
        stopper.start();
    }

    private static String version() {
        String v = LoopwireProjectService.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
