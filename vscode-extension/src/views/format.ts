/** Short human-readable forms shared by the tree, the status bar and notifications. */
import { LoopSnapshot, LoopStatus } from '../protocol';

export function loopLabel(s: LoopSnapshot): string {
  return s.name || s.loopId || 'loop';
}

export function iterationText(s: LoopSnapshot): string {
  const max = s.budget?.maxIterations;
  return `iteration ${s.iteration ?? 0}${max ? '/' + max : ''}`;
}

export function tokensText(s: LoopSnapshot): string {
  const u = s.usage;
  const t = (u?.inputTokens ?? 0) + (u?.outputTokens ?? 0);
  return t >= 10_000 ? `${(t / 1000).toFixed(0)}k tokens` : t >= 1000 ? `${(t / 1000).toFixed(1)}k tokens` : `${t} tokens`;
}

export function costText(s: LoopSnapshot): string {
  const c = s.usage?.costUsd;
  return c === undefined || c === null ? '' : `$${c.toFixed(c < 1 ? 3 : 2)}`;
}

export function describeLoop(s: LoopSnapshot): string {
  return [iterationText(s), tokensText(s), costText(s)].filter(Boolean).join(' · ');
}

/** A codicon id per status. */
export function statusIcon(status: LoopStatus | string | undefined): { id: string; color?: string } {
  switch (status) {
    case 'running': return { id: 'sync~spin', color: 'progressBar.background' };
    case 'waiting': return { id: 'watch' };
    case 'awaiting_approval': return { id: 'bell-dot', color: 'editorWarning.foreground' };
    case 'paused': return { id: 'debug-pause' };
    case 'created': return { id: 'circle-outline' };
    case 'succeeded': return { id: 'pass-filled', color: 'testing.iconPassed' };
    case 'cancelled': return { id: 'circle-slash' };
    case 'interrupted': return { id: 'debug-disconnect', color: 'editorWarning.foreground' };
    case 'budget_exhausted': return { id: 'dashboard', color: 'editorWarning.foreground' };
    case 'no_progress': return { id: 'warning', color: 'editorWarning.foreground' };
    default: return { id: 'error', color: 'testing.iconFailed' };
  }
}
