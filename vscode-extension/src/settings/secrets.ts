/**
 * API keys in VS Code's SecretStorage. They are handed to the server process in its environment
 * and nowhere else: never written to settings, logs, notifications or the command line.
 */
import * as vscode from 'vscode';

const NAMES_KEY = 'loopwire.secretNames';
const PREFIX = 'loopwire.env.';

/** Environment variables the providers read (issue 3); any other NAME_API_KEY may be added. */
export const KNOWN_KEY_NAMES = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENROUTER_API_KEY', 'GEMINI_API_KEY',
  'MISTRAL_API_KEY', 'GROQ_API_KEY', 'DEEPSEEK_API_KEY', 'XAI_API_KEY', 'TOGETHER_API_KEY'];

export class ApiKeys {
  constructor(private readonly context: vscode.ExtensionContext) {}

  names(): string[] {
    return this.context.globalState.get<string[]>(NAMES_KEY, []);
  }

  async set(name: string, value: string): Promise<void> {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) {
      throw new Error(`"${name}" is not an environment variable name (use letters, digits and _).`);
    }
    await this.context.secrets.store(PREFIX + name, value);
    const names = new Set(this.names());
    names.add(name);
    await this.context.globalState.update(NAMES_KEY, [...names]);
  }

  async delete(name: string): Promise<void> {
    await this.context.secrets.delete(PREFIX + name);
    await this.context.globalState.update(NAMES_KEY, this.names().filter((n) => n !== name));
  }

  /** name -> value for the server's environment. */
  async environment(): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const name of this.names()) {
      const v = await this.context.secrets.get(PREFIX + name);
      if (v) {
        env[name] = v;
      }
    }
    return env;
  }
}
