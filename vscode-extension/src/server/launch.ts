/**
 * Builds the server's command line and environment: `java [vmArgs] -jar loopwire.jar serve`, with
 * API keys from the secret store added to the environment only (never to arguments or logs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ServerLaunch } from '../client/connection';

export interface LaunchSettings {
  javaPath: string;
  jarPath: string;
  vmArgs: string[];
}

/** The jar shipped inside the extension (`server/loopwire.jar`, copied there at package time). */
export function bundledJar(extensionPath: string): string {
  return path.join(extensionPath, 'server', 'loopwire.jar');
}

export function buildLaunch(s: LaunchSettings, secrets: Record<string, string>, baseEnv: NodeJS.ProcessEnv = process.env): ServerLaunch {
  if (!fs.existsSync(s.jarPath)) {
    throw new Error(`The Loopwire server jar was not found at ${s.jarPath}. Check the "loopwire.server.jarPath" setting.`);
  }
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const [name, value] of Object.entries(secrets)) {
    if (value) {
      env[name] = value;
    }
  }
  return {
    command: s.javaPath,
    args: [...s.vmArgs, '-jar', s.jarPath, 'serve'],
    env,
  };
}

/** A command line for the log, without the environment (which may hold API keys). */
export function describeLaunch(l: ServerLaunch): string {
  return [l.command, ...l.args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
