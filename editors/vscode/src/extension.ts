// The VS Code client of `yasno lsp`: starts the server for plain text and Markdown documents and
// passes the `yasno.*` settings to it (the server merges them over the project's yasno.toml).

import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The settings the server reads; empty values fall back to yasno.toml. */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('yasno');
  return {
    profile: config.get<string | null>('profile') || null,
    select: config.get<string[]>('select', []),
    ignore: config.get<string[]>('ignore', []),
    severity: config.get<Record<string, string>>('severity', {}),
    acceptedWords: config.get<string[]>('acceptedWords', []),
    configPath: config.get<string | null>('configPath') || null,
    noConfig: config.get<boolean>('noConfig', false),
    inlineIgnores: config.get<boolean>('inlineIgnores', true),
    debounceMs: config.get<number>('debounceMs', 75),
  };
}

function createClient(): LanguageClient {
  const command = vscode.workspace.getConfiguration('yasno').get<string>('path') || 'yasno';
  const serverOptions: ServerOptions = {
    command,
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'plaintext' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    initializationOptions: serverSettings(),
    synchronize: {
      // The server re-reads yasno.toml when it changes on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{yasno,.yasno}.toml'),
    },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` with the same cleaned-up settings.
        configuration: (params, token, next) => {
          if (params.items.some((item) => item.section === 'yasno')) {
            return params.items.map((item) => (item.section === 'yasno' ? serverSettings() : null));
          }
          return next(params, token);
        },
      },
    },
  };
  return new LanguageClient('yasno', 'yasno', serverOptions, clientOptions);
}

async function start(): Promise<void> {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    void vscode.window.showErrorMessage(
      `yasno: не удалось запустить «${vscode.workspace.getConfiguration('yasno').get('path')} lsp»: ${error}. ` +
        'Установите yasno или укажите путь в настройке yasno.path.',
    );
  }
}

async function stop(): Promise<void> {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop().catch(() => undefined);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('yasno.restart', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('yasno.path')) {
        await stop();
        await start();
      } else if (event.affectsConfiguration('yasno') && client) {
        await client.sendNotification('workspace/didChangeConfiguration', {
          settings: { yasno: serverSettings() },
        });
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
