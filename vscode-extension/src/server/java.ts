/**
 * Finds a Java 17+ runtime for the server: the `loopwire.javaPath` setting, then `JAVA_HOME`,
 * then `java` on the `PATH`. Runs `java -version` to learn the version. No VS Code API here.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const MIN_JAVA = 17;

export interface JavaRuntime {
  path: string;
  major: number;
  versionLine: string;
}

/** No usable Java: the message says what was tried and what to do. */
export class JavaNotFoundError extends Error {
  constructor(message: string, readonly tried: string[]) {
    super(message);
    this.name = 'JavaNotFoundError';
  }
}

/** Parses the major version from `java -version` output (`"17.0.15"`, `"1.8.0_402"`, `"21"`). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "([^"]+)"/.exec(versionOutput) ?? /^\S+ (\d+[^\s]*)/m.exec(versionOutput);
  if (!m) {
    return undefined;
  }
  const parts = m[1].split(/[._+-]/);
  const first = Number(parts[0]);
  if (!Number.isFinite(first)) {
    return undefined;
  }
  return first === 1 ? Number(parts[1]) : first;
}

export function candidateJavas(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  const out: string[] = [];
  if (configured && configured.trim()) {
    out.push(configured.trim());
    return out; // an explicit setting is the only candidate: no silent fallback
  }
  if (env.JAVA_HOME) {
    out.push(path.join(env.JAVA_HOME, 'bin', exe));
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir) {
      const p = path.join(dir, exe);
      if (fs.existsSync(p) && !out.includes(p)) {
        out.push(p);
      }
    }
  }
  return out;
}

export function javaVersion(javaPath: string): Promise<JavaRuntime> {
  return new Promise((resolve, reject) => {
    execFile(javaPath, ['-version'], { timeout: 20000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${javaPath}: ${err.message}`));
        return;
      }
      const text = `${stderr}${stdout}`;
      const major = parseJavaMajor(text);
      if (major === undefined) {
        reject(new Error(`${javaPath}: cannot read the version from "${text.split('\n')[0]}"`));
        return;
      }
      resolve({ path: javaPath, major, versionLine: text.split('\n')[0].trim() });
    });
  });
}

/** The first Java 17+ among the candidates, or a {@link JavaNotFoundError}. */
export async function findJava(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<JavaRuntime> {
  const tried: string[] = [];
  for (const candidate of candidateJavas(configured, env)) {
    try {
      const rt = await javaVersion(candidate);
      if (rt.major >= MIN_JAVA) {
        return rt;
      }
      tried.push(`${candidate} is Java ${rt.major}`);
    } catch (e) {
      tried.push((e as Error).message);
    }
  }
  const where = configured ? `the "loopwire.javaPath" setting (${configured})` : 'JAVA_HOME or the PATH';
  throw new JavaNotFoundError(
    `Loopwire needs Java ${MIN_JAVA} or newer to run its server, and none was found in ${where}.` +
      (tried.length ? ` Tried: ${tried.join('; ')}.` : '') +
      ` Install a JDK/JRE ${MIN_JAVA}+ or set "loopwire.javaPath".`,
    tried,
  );
}
