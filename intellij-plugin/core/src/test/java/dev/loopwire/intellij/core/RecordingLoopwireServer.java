package dev.loopwire.intellij.core;

import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.ListLoopsResult;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ProvidersListParams;
import dev.loopwire.protocol.ProvidersListResult;
import dev.loopwire.protocol.ResumeParams;
import dev.loopwire.protocol.ServerCapabilities;
import dev.loopwire.protocol.ServerInfo;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplatesListParams;
import dev.loopwire.protocol.TemplatesListResult;
import dev.loopwire.protocol.services.LoopService;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.protocol.services.ProviderService;
import dev.loopwire.protocol.services.TemplateService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;

/**
 * Test double of the server interface: records every request (method name and params, in
 * order) and answers from loops the test put in. Requests about unknown loops fail with
 * {@code UNKNOWN_LOOP}, like the real server.
 */
public final class RecordingLoopwireServer implements LoopwireServer {

    /** One recorded request. */
    public record Call(String method, Object params) {
    }

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final Map<String, GetLoopResult> loops = new LinkedHashMap<>();

    /** Makes the double know a loop. */
    public synchronized RecordingLoopwireServer put(LoopSnapshot loop, List<IterationRecord> iterations) {
        loops.put(loop.loopId(), new GetLoopResult(loop, new ArrayList<>(iterations)));
        return this;
    }

    /** Waits for the next recorded request. */
    public Call next() throws InterruptedException {
        Call c = calls.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no request within 10 seconds");
        }
        return c;
    }

    /** Waits for the next request with {@code method}, skipping others. */
    public Call next(String method) throws InterruptedException {
        while (true) {
            Call c = next();
            if (c.method().equals(method)) {
                return c;
            }
        }
    }

    /** Requests recorded and not yet taken. */
    public List<Call> pending() {
        return new ArrayList<>(calls);
    }

    private void record(String method, Object params) {
        calls.add(new Call(method, params));
    }

    private synchronized <T> CompletableFuture<T> withLoop(String loopId, java.util.function.Function<GetLoopResult, T> f) {
        GetLoopResult r = loops.get(loopId);
        if (r == null) {
            return CompletableFuture.failedFuture(new ResponseErrorException(
                    new ResponseError(-32001, "Unknown loop " + loopId, null)));
        }
        return CompletableFuture.completedFuture(f.apply(r));
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        record("initialize", params);
        return CompletableFuture.completedFuture(new InitializeResult(LoopwireProtocol.PROTOCOL_VERSION,
                new ServerInfo("recording-test-server", "0"), new ServerCapabilities(List.of(), List.of())));
    }

    @Override
    public void initialized(InitializedParams params) {
        record("initialized", params);
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        record("shutdown", null);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        record("exit", null);
    }

    private final LoopService loopService = new LoopPart();
    private final ProviderService providerService = new ProviderPart();
    private final TemplateService templateService = new TemplatePart();

    @Override
    public LoopService getLoopService() {
        return loopService;
    }

    @Override
    public ProviderService getProviderService() {
        return providerService;
    }

    @Override
    public TemplateService getTemplateService() {
        return templateService;
    }

    private final class LoopPart implements LoopService {

        @Override
        public CompletableFuture<LoopSnapshot> start(StartLoopParams params) {
            record("loop/start", params);
            return CompletableFuture.failedFuture(new ResponseErrorException(
                    new ResponseError(-32007, "The recording test server starts no loops", null)));
        }

        @Override
        public CompletableFuture<IterationRecord> step(LoopIdParams params) {
            record("loop/step", params);
            return withLoop(params.loopId(), r -> r.iterations().isEmpty() ? null : r.iterations().get(0));
        }

        @Override
        public CompletableFuture<LoopSnapshot> approve(ApproveParams params) {
            record("loop/approve", params);
            return withLoop(params.loopId(), GetLoopResult::loop);
        }

        @Override
        public CompletableFuture<LoopSnapshot> cancel(LoopIdParams params) {
            record("loop/cancel", params);
            return withLoop(params.loopId(), GetLoopResult::loop);
        }

        @Override
        public CompletableFuture<LoopSnapshot> pause(LoopIdParams params) {
            record("loop/pause", params);
            return withLoop(params.loopId(), GetLoopResult::loop);
        }

        @Override
        public CompletableFuture<LoopSnapshot> resume(ResumeParams params) {
            record("loop/resume", params);
            return withLoop(params.loopId(), GetLoopResult::loop);
        }

        @Override
        public CompletableFuture<ListLoopsResult> list(ListLoopsParams params) {
            record("loop/list", params);
            List<LoopSnapshot> out = new ArrayList<>();
            synchronized (RecordingLoopwireServer.this) {
                loops.values().forEach(r -> out.add(r.loop()));
            }
            return CompletableFuture.completedFuture(new ListLoopsResult(out));
        }

        @Override
        public CompletableFuture<GetLoopResult> get(LoopIdParams params) {
            record("loop/get", params);
            return withLoop(params.loopId(), r -> r);
        }

        @Override
        public CompletableFuture<MemoryResult> memory(LoopIdParams params) {
            record("loop/memory", params);
            return withLoop(params.loopId(), r -> new MemoryResult(r.loop().memoryPath(), "# memory\n"));
        }
    }

    private final class ProviderPart implements ProviderService {
        @Override
        public CompletableFuture<ProvidersListResult> list(ProvidersListParams params) {
            record("providers/list", params);
            return CompletableFuture.completedFuture(new ProvidersListResult(List.of()));
        }
    }

    private final class TemplatePart implements TemplateService {
        @Override
        public CompletableFuture<TemplatesListResult> list(TemplatesListParams params) {
            record("templates/list", params);
            return CompletableFuture.completedFuture(new TemplatesListResult(List.of()));
        }
    }
}
