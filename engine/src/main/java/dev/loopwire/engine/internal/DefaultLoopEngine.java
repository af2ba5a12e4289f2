package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.LoopEngine;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.internal.stop.StopPolicies;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The engine: loops of every opened workspace in memory, mirrored on disk, run by a bounded
 * pool. Request methods validate first and change nothing when they throw; running is done by
 * {@link LoopDriver}, one iteration by {@link IterationRunner}, recovery by {@link LoopLoader}.
 */
public final class DefaultLoopEngine implements LoopEngine {

    private static final Logger LOG = Logger.getLogger(DefaultLoopEngine.class.getName());

    private final EngineContext ctx;
    private final StoreObserver observer;
    private final Templates templates;
    private final StartValidator validator;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor scheduler;
    private final LoopDriver driver;
    private final LoopLoader loader;
    private final LoopControl control;
    private final Map<String, LoopRuntime> loops = new ConcurrentHashMap<>();

    public DefaultLoopEngine(EngineOptions options) {
        this(options, BuiltinTools.all(), StoreObserver.NONE);
    }

    /** With other tools, and an observer of every durable write (crash tests). */
    public DefaultLoopEngine(EngineOptions options, List<Tool> tools, StoreObserver observer) {
        this.ctx = new EngineContext(options, tools, StopPolicies.defaults(), new EventHub());
        this.observer = observer;
        this.templates = new Templates(options.userConfigDir());
        this.validator = new StartValidator(templates);
        this.pool = new ThreadPoolExecutor(options.maxRunningLoops(), options.maxRunningLoops(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("loopwire-loop-"));
        this.pool.allowCoreThreadTimeOut(true);
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("loopwire-timer-"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.driver = new LoopDriver(ctx, pool, scheduler);
        this.loader = new LoopLoader(options.clock(), ctx.hub, observer, driver, ctx::redact);
        this.control = new LoopControl(driver);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public synchronized void openWorkspace(Path workspace) throws LoopException {
        Path ws = StartValidator.workspace(workspace == null ? null : workspace.toString());
        Path root = LoopDir.loopsRoot(ws);
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new LoopException(ErrorCode.STORAGE_ERROR, "cannot list " + root + ": " + e.getMessage(), e);
        }
        for (Path dir : dirs) {
            LoopRuntime known = loops.get(dir.getFileName().toString());
            if (known != null && !runByAnotherProcess(known)) {
                continue;
            }
            try {
                // new loops, and fresh views of loops another process runs (it may have stopped)
                LoopRuntime rt = loader.load(dir);
                if (rt != null) {
                    if (known != null) {
                        known.dir.close();
                    }
                    loops.put(rt.loopId(), rt);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot load loop " + dir + "; it is skipped", e);
            }
        }
    }

    private static boolean runByAnotherProcess(LoopRuntime rt) {
        synchronized (rt) {
            return rt.foreignOwner != null;
        }
    }

    @Override
    public LoopSnapshot start(StartLoopParams params) throws LoopException {
        if (params == null) {
            throw StartValidator.invalid("loop/start needs params: {workspace, goal, provider, ...}");
        }
        Path ws = StartValidator.workspace(params.workspace());
        ProviderSpec spec = resolveProvider(params.provider(), ws);
        Instant now = Instant.ofEpochMilli(ctx.options.clock().millis());
        String loopId = newLoopId(ws, now, ctx.redactor.redact(slugSource(params, ws)));
        LoopConfig config = validator.resolve(params, ws, spec, loopId, now.toString())
                .withRedactedText(ctx::redact);
        LoopState state = new LoopState();
        state.status = LoopStatus.CREATED.wire();
        if (config.schedule() != null) {
            state.schedule = new dev.loopwire.engine.internal.schedule.ScheduleState();
        }
        LoopDir dir = new LoopDir(LoopDir.loopsRoot(ws).resolve(loopId), observer, ctx::redact);
        LoopRuntime rt = new LoopRuntime(dir, ws, config, state, ctx.options.clock(), ctx.hub);
        Provider provider = createProvider(rt);
        synchronized (rt) {
            rt.provider = provider;
            try {
                Files.createDirectories(dir.dir());
                String memory = MemoryText.initial(config.name(), config.goal());
                dir.writeMemory(memory);
                state.memorySha = Json.sha256(memory);
                rt.persist();
                rt.journal("loop_created", fields("config", config));
                dir.writeConfig(config);
            } catch (IOException e) {
                throw new LoopException(ErrorCode.STORAGE_ERROR, "cannot create the loop in " + dir.dir() + ": "
                        + e.getMessage(), e);
            }
            loops.put(loopId, rt);
            rt.emitStatus();
            if (config.autoRun()) {
                control.run(rt, "started");
            }
            return rt.snapshot();
        }
    }

    private ProviderSpec resolveProvider(ProviderSpec given, Path ws) throws LoopException {
        ProviderContext describe = new ProviderContext(ws, ctx.options.environment(), ctx.options.userConfigDir(),
                dev.loopwire.engine.spi.ProcessTracker.NONE);
        if (given == null || given.id() == null || given.id().isBlank()) {
            return ctx.options.providers().autoSelect(describe).orElseThrow(() -> new LoopException(
                    ErrorCode.PROVIDER_UNAVAILABLE, "no provider is available here. Configure one (for example "
                            + "set ANTHROPIC_API_KEY or OPENAI_API_KEY, or install the claude or codex CLI) and "
                            + "name it in provider.id, or use provider {\"id\": \"scripted\", \"options\": "
                            + "{\"script\": \"turns.json\"}}, which runs the examples without a model. Known "
                            + "providers: " + providerIds(describe)));
        }
        if (ctx.options.providers().find(given.id()).isEmpty()) {
            throw new LoopException(ErrorCode.PROVIDER_UNAVAILABLE, "unknown provider '" + given.id()
                    + "'; available: " + providerIds(describe));
        }
        return given;
    }

    private String providerIds(ProviderContext context) {
        return ctx.options.providers().list(context).stream()
                .map(p -> p.id() + (p.available() ? "" : " (not available: " + p.detail() + ")"))
                .collect(Collectors.joining(", "));
    }

    private Provider createProvider(LoopRuntime rt) throws LoopException {
        try {
            Provider provider = ctx.options.providers().create(rt.config.provider(), driver.providerContext(rt));
            ctx.declareSecrets(provider.secrets());
            return provider;
        } catch (ProviderException e) {
            ErrorCode code = e.kind() == ProviderException.Kind.UNAVAILABLE ? ErrorCode.PROVIDER_UNAVAILABLE
                    : ErrorCode.INVALID_LOOP_CONFIG;
            throw new LoopException(code, "provider " + rt.config.provider().id() + ": " + e.getMessage(), e);
        }
    }

    private static String slugSource(StartLoopParams p, Path ws) {
        if (p.name() != null && !p.name().isBlank()) {
            return p.name();
        }
        if (p.goal() != null && !p.goal().isBlank()) {
            return p.goal();
        }
        if (p.goalFile() != null && !p.goalFile().isBlank()) {
            String file = Path.of(p.goalFile()).getFileName().toString().replaceFirst("\\.[^.]*$", "");
            Path parent = ws.resolve(p.goalFile()).normalize().getParent();
            // examples/hello/goal.md says more as "hello" than as "goal"
            return file.equalsIgnoreCase("goal") && parent != null && parent.getFileName() != null
                    ? parent.getFileName().toString() : file;
        }
        return p.template();
    }

    private String newLoopId(Path ws, Instant now, String name) {
        while (true) {
            String id = LoopIds.loopId(now, name);
            if (!loops.containsKey(id) && !Files.exists(LoopDir.loopsRoot(ws).resolve(id))) {
                return id;
            }
        }
    }

    @Override
    public CompletableFuture<IterationRecord> step(String loopId) throws LoopException {
        return control.step(loop(loopId), this::stopContextFor);
    }

    @Override
    public LoopSnapshot approve(ApproveParams params) throws LoopException {
        if (params == null || params.approvalId() == null) {
            throw new LoopException(ErrorCode.INVALID_PARAMS, "loop/approve needs {loopId, approvalId, decision}");
        }
        return control.approve(loop(params.loopId()), params);
    }

    @Override
    public LoopSnapshot cancel(String loopId) throws LoopException {
        return control.cancel(loop(loopId));
    }

    @Override
    public LoopSnapshot pause(String loopId) throws LoopException {
        return control.pause(loop(loopId));
    }

    @Override
    public LoopSnapshot resume(String loopId, Budget budget) throws LoopException {
        return control.resume(loop(loopId), budget, this::stopContextFor);
    }

    private dev.loopwire.engine.internal.stop.StopContext stopContextFor(LoopRuntime rt) {
        return driver.runner().stopContext(rt, null);
    }

    @Override
    public List<LoopSnapshot> list(Path workspace) throws LoopException {
        String wsFilter = null;
        if (workspace != null) {
            openWorkspace(workspace);
            wsFilter = StartValidator.workspace(workspace.toString()).toString();
        }
        List<LoopSnapshot> out = new ArrayList<>();
        for (LoopRuntime rt : loops.values()) {
            if (wsFilter == null || rt.workspace.toString().equals(wsFilter)) {
                out.add(rt.snapshot());
            }
        }
        out.sort(Comparator.comparing(LoopSnapshot::loopId));
        return out;
    }

    @Override
    public GetLoopResult get(String loopId) throws LoopException {
        LoopRuntime rt = loop(loopId);
        synchronized (rt) {
            return new GetLoopResult(rt.snapshot(), List.copyOf(rt.iterations), traces(rt),
                    rt.state.policy.contextBudget, LoopSchedules.history(rt));
        }
    }

    /** Per-iteration traces from the journal (empty when it cannot be read). */
    private static List<dev.loopwire.protocol.IterationTrace> traces(LoopRuntime rt) {
        try {
            return dev.loopwire.engine.internal.explain.Traces.of(Journal.read(rt.dir.journalFile()));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Override
    public MemoryResult memory(String loopId) throws LoopException {
        LoopRuntime rt = loop(loopId);
        try {
            return new MemoryResult(rt.dir.memoryFile().toString(), rt.dir.readMemory());
        } catch (IOException e) {
            throw new LoopException(ErrorCode.STORAGE_ERROR, "cannot read " + rt.dir.memoryFile() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<ApprovalRequestedParams> pendingApprovals() {
        List<ApprovalRequestedParams> out = new ArrayList<>();
        for (LoopRuntime rt : loops.values()) {
            synchronized (rt) {
                if (rt.state.pendingApproval != null && rt.foreignOwner == null) {
                    out.add(new ApprovalRequestedParams(rt.loopId(), rt.state.pendingApproval));
                }
            }
        }
        out.sort(Comparator.comparing(ApprovalRequestedParams::loopId));
        return out;
    }

    @Override
    public List<ProviderInfo> providers() {
        return ctx.options.providers().list(new ProviderContext(null, ctx.options.environment(),
                ctx.options.userConfigDir(), dev.loopwire.engine.spi.ProcessTracker.NONE));
    }

    @Override
    public List<TemplateInfo> templates(Path workspace) {
        return templates.list(workspace);
    }

    @Override
    public AutoCloseable subscribe(LoopEvents listener) {
        return ctx.hub.subscribe(listener);
    }

    @Override
    public void checkpoint() {
        List<Future<?>> tasks = new ArrayList<>();
        List<LoopRuntime> abandoned = new ArrayList<>();
        for (LoopRuntime rt : loops.values()) {
            synchronized (rt) {
                if (rt.foreignOwner != null || !rt.status().isActive()) {
                    continue;
                }
                if (rt.status() == LoopStatus.AWAITING_APPROVAL) {
                    if (rt.expiry != null) {
                        rt.expiry.cancel(false);
                        rt.expiry = null;
                    }
                    rt.artifacts.rest();
                    rt.dir.unlock();
                    continue;
                }
                if (rt.status() == LoopStatus.WAITING && LoopSchedules.betweenRuns(rt)) {
                    driver.abandon(rt); // stays waiting: the next engine reschedules the run
                    rt.artifacts.rest();
                    rt.dir.unlock();
                    continue;
                }
                tasks.add(driver.abandon(rt));
                abandoned.add(rt);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Future<?> task : tasks) {
            LoopDriver.awaitQuietly(task, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (LoopRuntime rt : abandoned) {
            synchronized (rt) {
                try {
                    rt.setStatus(LoopStatus.INTERRUPTED, "checkpointed: the engine stopped");
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot checkpoint loop " + rt.loopId(), e);
                }
                driver.rest(rt);
            }
        }
    }

    @Override
    public void close() {
        checkpoint();
        pool.shutdownNow();
        scheduler.shutdownNow();
        for (LoopRuntime rt : loops.values()) {
            synchronized (rt) {
                rt.artifacts.close();
                rt.dir.close();
            }
        }
    }

    private LoopRuntime loop(String loopId) throws LoopException {
        LoopRuntime rt = loopId == null ? null : loops.get(loopId);
        if (rt == null) {
            throw new LoopException(ErrorCode.UNKNOWN_LOOP, "no loop '" + loopId + "' in the opened workspaces; "
                    + "loopwire list shows the loops");
        }
        return rt;
    }
}
