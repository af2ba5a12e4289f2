import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { JavaNotFoundError, findJava, parseJavaMajor } from '../../src/server/java';
import { buildLaunch, describeLaunch } from '../../src/server/launch';

describe('finding Java', () => {
  it('parses java -version output of old and new runtimes', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_402"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('garbage')).toBeUndefined();
  });

  it('finds this machine\'s Java 17+ on the PATH', async () => {
    const rt = await findJava(undefined);
    expect(rt.major).toBeGreaterThanOrEqual(17);
  });

  it('explains what to do when the configured Java does not exist, without falling back', async () => {
    const err = await findJava('/nonexistent/bin/java').catch((e) => e);
    expect(err).toBeInstanceOf(JavaNotFoundError);
    expect(err.message).toContain('needs Java 17 or newer');
    expect(err.message).toContain('loopwire.javaPath');
  });

  it('rejects a Java older than 17', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-java-'));
    const fake = path.join(dir, 'java');
    fs.writeFileSync(fake, '#!/bin/sh\necho \'java version "1.8.0_402"\' >&2\n', { mode: 0o755 });
    const err = await findJava(fake).catch((e) => e);
    expect(err.message).toContain('is Java 8');
  });
});

describe('server launch', () => {
  it('puts API keys into the environment only, never into the command line', () => {
    const jar = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lw-jar-')), 'loopwire.jar');
    fs.writeFileSync(jar, '');
    const launch = buildLaunch({ javaPath: '/usr/bin/java', jarPath: jar, vmArgs: ['-Xmx256m'] }, { ANTHROPIC_API_KEY: 'sk-secret-123' }, { PATH: '/usr/bin' });
    expect(launch.args).toEqual(['-Xmx256m', '-jar', jar, 'serve']);
    expect(launch.env!.ANTHROPIC_API_KEY).toBe('sk-secret-123');
    expect(describeLaunch(launch)).not.toContain('sk-secret-123');
  });

  it('names the setting when the jar is missing', () => {
    expect(() => buildLaunch({ javaPath: 'java', jarPath: '/nope/loopwire.jar', vmArgs: [] }, {})).toThrow(/loopwire.server.jarPath/);
  });
});
