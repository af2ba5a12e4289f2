package dev.loopwire.protocol;

import java.util.Map;

/** Params of {@code loop/start}. Either {@code goal} or {@code goalFile} (relative to the workspace) is required, or a template that supplies the goal. {@code doneToken} overrides the default {@code <promise>DONE</promise>}. */
public record StartLoopParams(String workspace, String goal, String goalFile, String template, Map<String, Object> args, ProviderSpec provider, Budget budget, ApprovalConfig approval, Boolean autoRun, String name, CheckConfig check, JudgeConfig judge, StopConfig stop, WaitsConfig waits, ScheduleConfig schedule, String doneToken) {
}
