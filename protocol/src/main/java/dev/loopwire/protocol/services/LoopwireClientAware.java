package dev.loopwire.protocol.services;

/** A server that is handed the remote client proxy once the connection exists. */
public interface LoopwireClientAware {

    void connect(LoopwireClient client);
}
