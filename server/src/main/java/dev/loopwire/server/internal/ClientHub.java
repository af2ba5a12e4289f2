package dev.loopwire.server.internal;

import dev.loopwire.engine.LoopEvents;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.services.LoopwireClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans the engine's events out to every connected client. It is the engine's only listener: each
 * event is handed to each client's {@link ClientChannel} (a non-blocking enqueue), so a loop's
 * runner never waits for a client.
 */
public final class ClientHub implements LoopEvents {

    private final List<ClientChannel> clients = new CopyOnWriteArrayList<>();

    public void add(ClientChannel client) {
        clients.add(client);
    }

    public void remove(ClientChannel client) {
        clients.remove(client);
    }

    public int size() {
        return clients.size();
    }

    private void each(Consumer<LoopwireClient> call) {
        for (ClientChannel client : clients) {
            call.accept(client);
        }
    }

    @Override
    public void onStatus(LoopStatusParams params) {
        each(c -> c.status(params));
    }

    @Override
    public void onProgress(LoopProgressParams params) {
        each(c -> c.progress(params));
    }

    @Override
    public void onOutput(LoopOutputParams params) {
        each(c -> c.output(params));
    }

    @Override
    public void onIteration(LoopIterationParams params) {
        each(c -> c.iteration(params));
    }

    @Override
    public void onApprovalRequested(ApprovalRequestedParams params) {
        each(c -> c.approvalRequested(params));
    }

    @Override
    public void onApprovalResolved(ApprovalResolvedParams params) {
        each(c -> c.approvalResolved(params));
    }

    @Override
    public void onMemoryChanged(MemoryChangedParams params) {
        each(c -> c.memoryChanged(params));
    }
}
