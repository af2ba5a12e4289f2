package dev.loopwire.protocol;

import java.util.List;

/** Params of {@code initialize}. */
public record InitializeParams(Integer protocolVersion, ClientInfo clientInfo, Long processId, List<String> workspaceFolders) {
}
