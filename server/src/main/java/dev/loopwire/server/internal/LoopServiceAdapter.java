package dev.loopwire.server.internal;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.ListLoopsResult;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ResumeParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.services.LoopService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The {@code loop/*} requests: each validates its params, then delegates to {@link LoopEngine} on
 * the request executor (never on the listener thread). Errors become JSON-RPC errors through
 * {@link Rpc#toWire}.
 */
final class LoopServiceAdapter implements LoopService {

    private static final String DECISIONS = Arrays.stream(Decision.values()).map(Decision::wire)
            .collect(Collectors.joining(", "));

    private final ServerSession session;
    private final ServerCore core;

    LoopServiceAdapter(ServerSession session) {
        this.session = session;
        this.core = session.core();
    }

    private <T> CompletableFuture<T> run(Rpc.Work<T> work) {
        Throwable refused = session.notReady();
        return refused != null ? Rpc.failed(refused) : Rpc.async(core.executor(), work);
    }

    private static String loopId(LoopIdParams params, String method) {
        if (params == null || params.loopId() == null || params.loopId().isBlank()) {
            throw Rpc.invalidParams(method + " needs params {\"loopId\": \"...\"}");
        }
        return params.loopId();
    }

    private Path workspace(String given, String method) {
        Path ws;
        if (given == null || given.isBlank()) {
            if (session.workspaceFolders().isEmpty()) {
                throw Rpc.invalidParams(method + " needs \"workspace\" (an absolute directory path): "
                        + "this client named no workspaceFolders in initialize");
            }
            ws = session.workspaceFolders().get(0);
        } else {
            ws = Path.of(given).toAbsolutePath().normalize();
        }
        if (!Files.isDirectory(ws)) {
            throw Rpc.invalidParams("workspace " + ws + " is not a directory");
        }
        return ws;
    }

    @Override
    public CompletableFuture<LoopSnapshot> start(StartLoopParams p) {
        return run(() -> {
            if (p == null) {
                throw Rpc.invalidParams("loop/start needs params, e.g. {\"workspace\": \"/path\", \"goal\": \"...\", \"provider\": {\"id\": \"scripted\"}}");
            }
            if (p.provider() != null && (p.provider().id() == null || p.provider().id().isBlank())) {
                throw Rpc.invalidParams("loop/start: provider.id is required when provider is given");
            }
            Path ws = workspace(p.workspace(), "loop/start");
            core.openWorkspace(ws);
            StartLoopParams params = new StartLoopParams(ws.toString(), p.goal(), p.goalFile(), p.template(),
                    p.args(), p.provider(), p.budget(), p.approval(), p.autoRun(), p.name(), p.check(),
                    p.judge(), p.stop(), p.waits(), p.schedule(), p.doneToken());
            return core.engine().start(params);
        });
    }

    @Override
    public CompletableFuture<IterationRecord> step(LoopIdParams params) {
        Throwable refused = session.notReady();
        if (refused != null) {
            return Rpc.failed(refused);
        }
        CompletableFuture<IterationRecord> result = new CompletableFuture<>();
        core.executor().execute(() -> {
            try {
                CompletableFuture<IterationRecord> iteration = core.engine().step(loopId(params, "loop/step"));
                // $/cancelRequest cancels `result` (lsp4j); pass that on to the engine's iteration.
                result.whenComplete((r, e) -> {
                    if (result.isCancelled()) {
                        iteration.cancel(true);
                    }
                });
                iteration.whenCompleteAsync((record, error) -> {
                    if (error != null) {
                        result.completeExceptionally(Rpc.toWire(error));
                    } else {
                        result.complete(record);
                    }
                }, core.executor());
            } catch (Throwable t) {
                result.completeExceptionally(Rpc.toWire(t));
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<LoopSnapshot> approve(ApproveParams p) {
        return run(() -> {
            if (p == null || p.loopId() == null || p.approvalId() == null) {
                throw Rpc.invalidParams("loop/approve needs {\"loopId\", \"approvalId\", \"decision\"}");
            }
            if (p.decision() == null || Decision.fromWire(p.decision()).isEmpty()) {
                throw Rpc.invalidParams("loop/approve: decision must be one of " + DECISIONS
                        + (p.decision() == null ? "" : "; got '" + p.decision() + "'"));
            }
            return core.engine().approve(p);
        });
    }

    @Override
    public CompletableFuture<LoopSnapshot> cancel(LoopIdParams params) {
        return run(() -> core.engine().cancel(loopId(params, "loop/cancel")));
    }

    @Override
    public CompletableFuture<LoopSnapshot> pause(LoopIdParams params) {
        return run(() -> core.engine().pause(loopId(params, "loop/pause")));
    }

    @Override
    public CompletableFuture<LoopSnapshot> resume(ResumeParams params) {
        return run(() -> {
            if (params == null || params.loopId() == null || params.loopId().isBlank()) {
                throw Rpc.invalidParams("loop/resume needs params {\"loopId\": \"...\", \"budget\"?: {...}}");
            }
            return core.engine().resume(params.loopId(), params.budget());
        });
    }

    @Override
    public CompletableFuture<ListLoopsResult> list(ListLoopsParams params) {
        return run(() -> {
            Path ws = null;
            if (params != null && params.workspace() != null) {
                ws = workspace(params.workspace(), "loop/list");
                core.openWorkspace(ws);
            }
            return new ListLoopsResult(core.engine().list(ws));
        });
    }

    @Override
    public CompletableFuture<GetLoopResult> get(LoopIdParams params) {
        return run(() -> core.engine().get(loopId(params, "loop/get")));
    }

    @Override
    public CompletableFuture<MemoryResult> memory(LoopIdParams params) {
        return run(() -> core.engine().memory(loopId(params, "loop/memory")));
    }
}
