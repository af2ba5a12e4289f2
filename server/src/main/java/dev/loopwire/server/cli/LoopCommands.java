package dev.loopwire.server.cli;

import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ResumeParams;
import dev.loopwire.protocol.services.LoopService;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands about existing loops: list, show, approve, cancel, resume. */
final class LoopCommands {

    private LoopCommands() {
    }

    @Command(name = "list", description = "List the loops of the workspace.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Override
        public Integer call() throws Exception {
            Path ws = common.workspace();
            try (Backend backend = Backend.open(ws, new Renderer(common.out, true, false), false)) {
                List<LoopSnapshot> loops = Backend.await(backend.server().getLoopService()
                        .list(new ListLoopsParams(ws.toString()))).loops();
                if (common.json) {
                    for (LoopSnapshot loop : loops) {
                        common.out.println(Renderer.GSON.toJson(loop));
                    }
                    return 0;
                }
                if (loops.isEmpty()) {
                    common.out.println("no loops in " + ws);
                    return 0;
                }
                common.out.printf(Locale.ROOT, "%-28s %-18s %5s  %-20s %s%n", "ID", "STATUS", "ITER", "UPDATED", "NAME");
                for (LoopSnapshot l : loops) {
                    common.out.printf(Locale.ROOT, "%-28s %-18s %5d  %-20s %s%n", l.loopId(), l.status(), l.iteration(),
                            l.updatedAt() == null ? "" : l.updatedAt().replaceFirst("\\.\\d+Z$", "Z"),
                            l.name() == null ? "" : l.name());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", description = "Show one loop: status, usage, pending approval, iterations.")
    static final class ShowCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Parameters(paramLabel = "ID", description = "The loop id.")
        String loopId;

        @Option(names = "--memory", description = "Print the loop's memory file instead.")
        boolean memory;

        @Override
        public Integer call() throws Exception {
            Path ws = common.workspace();
            try (Backend backend = Backend.open(ws, new Renderer(common.out, true, false), false)) {
                LoopService loops = backend.server().getLoopService();
                if (memory) {
                    MemoryResult m = Backend.await(loops.memory(new LoopIdParams(loopId)));
                    common.out.print(common.json ? Renderer.GSON.toJson(m) + "\n" : m.content());
                    return 0;
                }
                GetLoopResult result = Backend.await(loops.get(new LoopIdParams(loopId)));
                if (common.json) {
                    common.out.println(Renderer.GSON.toJson(result));
                    return 0;
                }
                print(result);
                return 0;
            }
        }

        private void print(GetLoopResult result) {
            LoopSnapshot l = result.loop();
            var out = common.out;
            out.println("loop      " + l.loopId() + (l.name() == null ? "" : "  (" + l.name() + ")"));
            out.println("status    " + l.status() + (l.reason() == null ? "" : ": " + l.reason()));
            if (l.recommendedAction() != null) {
                out.println("next      " + l.recommendedAction());
            }
            out.println("workspace " + l.workspace());
            if (l.provider() != null) {
                out.println("provider  " + l.provider().id() + (l.provider().model() == null ? "" : " / " + l.provider().model()));
            }
            if (l.usage() != null) {
                out.printf(Locale.ROOT, "usage     %d iterations, %d in + %d out tokens, %s, %.1fs%n", l.usage().iterations(),
                        l.usage().inputTokens(), l.usage().outputTokens(),
                        l.usage().costUsd() == null ? "cost unknown" : String.format(Locale.ROOT, "$%.4f", l.usage().costUsd()),
                        l.usage().elapsedSeconds());
            }
            out.println("memory    " + l.memoryPath());
            if (l.pendingApproval() != null) {
                out.println("approval  " + l.pendingApproval().approvalId() + ": " + l.pendingApproval().title());
                out.println("          loopwire approve " + l.loopId() + " " + l.pendingApproval().approvalId() + " [--deny]");
            }
            for (IterationRecord r : result.iterations()) {
                out.printf(Locale.ROOT, "  #%-3d %-9s %5.1fs  %d tool calls  %s%n", r.index(), r.outcome(), r.durationSeconds(),
                        r.toolCalls() == null ? 0 : r.toolCalls().size(), r.summary() == null ? "" : r.summary().replace('\n', ' '));
            }
        }
    }

    /** Base of the commands that act on a loop and then follow it like {@code run}. */
    abstract static class FollowingCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Option(names = {"-y", "--yes"}, description = "Allow further approvals without asking.")
        boolean yes;

        @Option(names = "--no-follow", description = "Return at once instead of following the loop.")
        boolean noFollow;

        abstract LoopSnapshot act(LoopService loops) throws CliException;

        @Override
        public Integer call() throws Exception {
            Path ws = common.workspace();
            Renderer renderer = new Renderer(common.out, common.json, CommonOptions.isTty());
            try (Backend backend = Backend.open(ws, renderer, true)) {
                LoopService loops = backend.server().getLoopService();
                LoopSnapshot loop = act(loops);
                if (!common.json) {
                    common.err.println("loop " + loop.loopId() + ": " + loop.status());
                }
                if (noFollow) {
                    return ExitCodes.of(loop.status()) == ExitCodes.AWAITING_APPROVAL ? ExitCodes.AWAITING_APPROVAL : 0;
                }
                renderer.follow(loop.loopId(), loop.budget() == null ? null : loop.budget().maxIterations());
                return new Follower(loops, renderer, common.err, common.json ? null : CommonOptions.terminal(), yes, ws)
                        .follow(loop.loopId());
            }
        }
    }

    @Command(name = "approve", description = {"Answer a pending approval, then follow the loop in the foreground.",
        "Without --deny the action is allowed."})
    static final class ApproveCommand extends FollowingCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The loop id.")
        String loopId;

        @Parameters(index = "1", paramLabel = "APPROVAL_ID", description = "The approval id.")
        String approvalId;

        @Option(names = "--deny", description = "Refuse the action (the model is told, and the loop goes on).")
        boolean deny;

        @Option(names = "--always", description = "Remember the decision for this loop.")
        boolean always;

        @Option(names = "--note", paramLabel = "TEXT", description = "A note for the model with the decision.")
        String note;

        @Override
        LoopSnapshot act(LoopService loops) throws CliException {
            Decision d = deny ? (always ? Decision.REJECT_ALWAYS : Decision.REJECT_ONCE)
                    : (always ? Decision.ALLOW_ALWAYS : Decision.ALLOW_ONCE);
            LoopSnapshot loop = Backend.await(loops.approve(new ApproveParams(loopId, approvalId, d.wire(), note)));
            String status = loop.status();
            if (status.equals("interrupted") || status.equals("paused")) {
                // answered after a restart: nothing runs the loop yet, so continue it here
                loop = Backend.await(loops.resume(new ResumeParams(loopId, null)));
            }
            return loop;
        }
    }

    @Command(name = "cancel", description = "Cancel a loop: its provider call, tool processes and waits stop.")
    static final class CancelCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Parameters(paramLabel = "ID", description = "The loop id.")
        String loopId;

        @Override
        public Integer call() throws Exception {
            Path ws = common.workspace();
            try (Backend backend = Backend.open(ws, new Renderer(common.out, true, false), false)) {
                LoopSnapshot loop = Backend.await(backend.server().getLoopService().cancel(new LoopIdParams(loopId)));
                common.out.println(common.json ? Renderer.GSON.toJson(loop) : "loop " + loop.loopId() + ": " + loop.status());
                return 0;
            }
        }
    }

    @Command(name = "resume", description = "Continue a paused, interrupted or budget-exhausted loop, optionally with a larger budget.")
    static final class ResumeCommand extends FollowingCommand {
        @Parameters(paramLabel = "ID", description = "The loop id.")
        String loopId;

        @ArgGroup(exclusive = false, heading = "Budget%n")
        RunCommand.BudgetOptions budget = new RunCommand.BudgetOptions();

        @Override
        LoopSnapshot act(LoopService loops) throws CliException {
            return Backend.await(loops.resume(new ResumeParams(loopId, budget.toBudget())));
        }
    }
}
