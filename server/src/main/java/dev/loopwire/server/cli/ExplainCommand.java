package dev.loopwire.server.cli;

import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.LoopIdParams;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code loopwire explain ID}: why a loop stopped, where its tokens went, what failed, what next. */
@Command(name = "explain", description = {"Explain a loop: why it stopped, where the tokens and money went "
        + "(per iteration and per tool), the approaches that made things worse, and the recommended next action."})
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(paramLabel = "ID", description = "The loop id.")
    String loopId;

    @Override
    public Integer call() throws Exception {
        Path ws = common.workspace();
        try (Backend backend = Backend.open(ws, new Renderer(common.out, true, false), false)) {
            GetLoopResult result = Backend.await(backend.server().getLoopService().get(new LoopIdParams(loopId)));
            common.out.print(common.json ? Renderer.GSON.toJson(result) + "\n" : ExplainFormatter.format(result));
            return 0;
        }
    }
}
