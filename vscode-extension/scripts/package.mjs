// npm run package: bundle, copy the server jar into the extension (server/loopwire.jar) and build
// dist/loopwire-<version>.vsix with @vscode/vsce. Needs ../server/target/loopwire.jar (or
// LOOPWIRE_JAR=/path/to/loopwire.jar).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const jar = process.env.LOOPWIRE_JAR ?? resolve(root, '..', 'server', 'target', 'loopwire.jar');
if (!existsSync(jar)) {
  console.error(`package: the server jar is missing: ${jar}\nBuild it first: mvn -B -q -o package -DskipTests -pl server (from the repository root).`);
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
mkdirSync(join(root, 'server'), { recursive: true });
copyFileSync(jar, join(root, 'server', 'loopwire.jar'));
console.log(`copied ${jar} (${(statSync(jar).size / 1e6).toFixed(1)} MB) to server/loopwire.jar`);
const out = join(root, 'dist', `loopwire-${version}.vsix`);
execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`packaged ${out}`);
