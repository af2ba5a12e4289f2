package dev.loopwire.server.cli;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.CheckConfig;
import dev.loopwire.protocol.FailureStreak;
import dev.loopwire.protocol.JudgeConfig;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.ScheduleConfig;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.StopConfig;
import dev.loopwire.protocol.WaitsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopwire run}: starts a loop and follows it in the terminal. */
@Command(name = "run", sortOptions = false,
        description = {"Start a loop and follow it: streamed text, tool calls, a status line on a TTY.",
            "Exit codes: 0 succeeded, 1 failed, 2 budget exhausted or no progress, 3 awaiting approval, 130 cancelled."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(arity = "0..*", paramLabel = "GOAL", description = "The goal, as text (or use --goal-file or --template).")
    List<String> goalWords;

    @Option(names = "--goal-file", paramLabel = "FILE", description = "Read the goal from this file.")
    Path goalFile;

    @Option(names = "--provider", paramLabel = "ID", description = "Provider id, e.g. scripted, openai, anthropic, claude-code (default: the first available).")
    String provider;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model name for the provider.")
    String model;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "A provider option (repeatable).")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--script", paramLabel = "FILE", description = "Turns file for the scripted provider (implies --provider scripted).")
    Path script;

    @Option(names = "--template", paramLabel = "NAME", description = "A loop template.")
    String template;

    @Option(names = "--name", description = "A name for the loop.")
    String name;

    @ArgGroup(exclusive = false, heading = "Budget%n")
    BudgetOptions budget = new BudgetOptions();

    @Option(names = "--approval", paramLabel = "MODE", description = "ask (default), auto or deny.")
    String approval;

    @Option(names = "--done-token", paramLabel = "TEXT", description = "The line that ends the loop (default <promise>DONE</promise>).")
    String doneToken;

    @Option(names = {"-y", "--yes"}, description = "Allow every approval without asking.")
    boolean yes;

    @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "A template argument (repeatable); values starting with [ or { are JSON.")
    Map<String, String> args = new LinkedHashMap<>();

    @ArgGroup(exclusive = false, heading = "Loop controls%n")
    ControlOptions controls = new ControlOptions();

    @Override
    public Integer call() throws Exception {
        Path ws = common.workspace();
        StartLoopParams params = params(ws);
        Renderer renderer = new Renderer(common.out, common.json, CommonOptions.isTty());
        try (Backend backend = Backend.open(ws, renderer, true)) {
            LoopSnapshot loop = Backend.await(backend.server().getLoopService().start(params));
            if (!common.json) {
                common.err.println("loop " + loop.loopId() + " started in " + ws
                        + (loop.provider() == null ? "" : " (provider " + loop.provider().id() + ")"));
            }
            renderer.follow(loop.loopId(), loop.budget() == null ? null : loop.budget().maxIterations());
            Follower follower = new Follower(backend.server().getLoopService(), renderer, common.err,
                    common.json ? null : CommonOptions.terminal(), yes, ws);
            return follower.scheduled(params.schedule() != null).follow(loop.loopId());
        }
    }

    StartLoopParams params(Path ws) throws CliException {
        String goal = goalWords == null || goalWords.isEmpty() ? null : String.join(" ", goalWords);
        String goalFileParam = null;
        if (goalFile != null) {
            Path file = goalFile.toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new CliException("goal file " + file + " does not exist", 0);
            }
            if (file.startsWith(ws)) {
                goalFileParam = ws.relativize(file).toString();
            } else {
                try {
                    goal = Files.readString(file);
                } catch (java.io.IOException e) {
                    throw new CliException("cannot read goal file " + file + ": " + e.getMessage(), 0);
                }
            }
        }
        if (goal == null && goalFileParam == null && template == null) {
            throw new CliException("give a goal: loopwire run \"what to do\", --goal-file FILE or --template NAME", 0);
        }
        Map<String, Object> providerOptions = new LinkedHashMap<>();
        options.forEach((k, v) -> providerOptions.put(k, OptionValues.parse(v)));
        String providerId = provider;
        if (script != null) {
            providerOptions.put("script", script.toAbsolutePath().normalize().toString());
            if (providerId == null) {
                providerId = "scripted";
            }
        }
        ProviderSpec spec = providerId == null && model == null && providerOptions.isEmpty()
                ? null : new ProviderSpec(providerId, model, providerOptions.isEmpty() ? null : providerOptions);
        if (spec != null && spec.id() == null) {
            throw new CliException("--model and --option need --provider", 0);
        }
        if (approval != null && !List.of("ask", "auto", "deny").contains(approval)) {
            throw new CliException("--approval must be ask, auto or deny", 0);
        }
        ApprovalConfig approvalConfig = approval == null ? null : new ApprovalConfig(approval, null, null, null, null);
        Map<String, Object> templateArgs = new LinkedHashMap<>();
        args.forEach((k, v) -> templateArgs.put(k, OptionValues.parse(v)));
        return new StartLoopParams(ws.toString(), goal, goalFileParam, template,
                templateArgs.isEmpty() ? null : templateArgs, spec, budget.toBudget(), approvalConfig, true, name,
                controls.check(), controls.judge(), controls.stop(), controls.waits(), controls.schedule(), doneToken);
    }

    /** The issue-4 loop controls: check, judge, stop policies, waits (same names as loop/start). */
    static final class ControlOptions {
        @Option(names = "--check", paramLabel = "CMD", description = "Check command run in the workspace; exit 0 confirms done.")
        String check;

        @Option(names = "--check-every", paramLabel = "WHEN", description = "done (default: after an iteration that claims done) or iteration.")
        String checkEvery;

        @Option(names = "--check-timeout", paramLabel = "S", description = "Seconds the check may run.")
        Double checkTimeout;

        @Option(names = "--judge", paramLabel = "PROVIDER", description = "A provider that judges each claimed result against the goal.")
        String judge;

        @Option(names = "--no-progress", paramLabel = "N", description = "Stop as no_progress after N iterations without an artifact or memory change (default 3).")
        Integer noProgress;

        @Option(names = "--stagnation", paramLabel = "N", description = "Stop as no_progress after the same summary N times in a row (default 3, 0 disables).")
        Integer stagnation;

        @Option(names = "--failure-identical", paramLabel = "N", description = "Fail after N identical failures in a row (default 3).")
        Integer failureIdentical;

        @Option(names = "--failure-any", paramLabel = "N", description = "Fail after N failures of any kind in a row (default 4).")
        Integer failureAny;

        @Option(names = "--interval", paramLabel = "S", description = "Seconds to wait between iterations.")
        Double interval;

        @Option(names = "--max-wait", paramLabel = "S", description = "Longest wait for an agent's <wait_seconds> hint or <pid_number> jobs (default 6000).")
        Double maxWait;

        @Option(names = "--pid-poll", paramLabel = "S", description = "Seconds between checks of reported PIDs (default 5).")
        Double pidPoll;

        @Option(names = "--every", paramLabel = "INTERVAL", description = "Re-run the loop on a schedule: a new run INTERVAL after each run ends (30s, 5m, 2h, 1d); Ctrl-C cancels it.")
        String every;

        CheckConfig check() throws CliException {
            if (check == null) {
                if (checkEvery != null || checkTimeout != null) {
                    throw new CliException("--check-every and --check-timeout need --check CMD", 0);
                }
                return null;
            }
            if (checkEvery != null && !List.of("done", "iteration").contains(checkEvery)) {
                throw new CliException("--check-every must be done or iteration, got '" + checkEvery + "'", 0);
            }
            return new CheckConfig(check, checkTimeout, checkEvery);
        }

        JudgeConfig judge() {
            return judge == null ? null : new JudgeConfig(new ProviderSpec(judge, null, null));
        }

        StopConfig stop() {
            if (noProgress == null && stagnation == null && failureIdentical == null && failureAny == null) {
                return null;
            }
            FailureStreak streak = failureIdentical == null && failureAny == null ? null
                    : new FailureStreak(failureIdentical, failureAny);
            return new StopConfig(noProgress, stagnation, streak);
        }

        ScheduleConfig schedule() {
            return every == null ? null : new ScheduleConfig(every);
        }

        WaitsConfig waits() {
            return interval == null && maxWait == null && pidPoll == null ? null
                    : new WaitsConfig(interval, maxWait, pidPoll);
        }
    }

    /** The budget flags, shared with {@code resume}. */
    static final class BudgetOptions {
        @Option(names = "--max-iterations", paramLabel = "N", description = "Stop after N iterations.")
        Integer maxIterations;

        @Option(names = "--max-tokens", paramLabel = "N", description = "Stop after N tokens (input + output).")
        Long maxTokens;

        @Option(names = "--max-wall-seconds", paramLabel = "S", description = "Stop after S seconds.")
        Double maxWallSeconds;

        @Option(names = "--max-cost-usd", paramLabel = "USD", description = "Stop after this cost.")
        Double maxCostUsd;

        Budget toBudget() {
            if (maxIterations == null && maxTokens == null && maxWallSeconds == null && maxCostUsd == null) {
                return null;
            }
            return new Budget(maxIterations, maxTokens, maxWallSeconds, maxCostUsd);
        }
    }
}
