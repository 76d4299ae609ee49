import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  // ---- layers: each folder imports only downward (enforced here, not by goodwill) ----
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ never imports electron.' }],
          patterns: [
            {
              group: ['node:*', 'knex', 'sqlite3', 'serialport', 'pg', 'fastify', 'pino', 'pdfkit', 'ws'],
              message: 'shared/ is pure: no Node-only module (it runs in the renderer too).',
            },
            {
              group: ['**/electron/**', '**/server/**', '**/renderer/**', '**/resources/**'],
              message: 'shared/ imports nothing of the other folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'renderer/ never imports electron.' }],
          patterns: [
            {
              group: ['node:*', 'knex', 'sqlite3', 'serialport', 'pg', 'fastify'],
              message: 'renderer/ stays free of Node-only modules.',
            },
            {
              group: ['**/electron/**', '**/server/**', '**/shared/node/**'],
              message: 'renderer/ talks to the counter through the CounterApi contract in shared/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/main/**', 'electron/preload/**', 'electron/demo-server.ts', 'electron/launch.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' },
          ],
          patterns: [
            {
              group: ['**/renderer/**', '**/server/**'],
              message:
                'Counter code never imports the renderer or the server (the demo server is wired in launch).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/kernel/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The kernel is plain Node.' }],
          patterns: [
            {
              group: [
                '**/renderer/**',
                '**/server/**',
                '**/host/**',
                '**/services/till/**',
                '**/services/deposits/**',
                '**/services/equipment/**',
                '**/services/adjustments/**',
                '**/services/ledger/payments*',
              ],
              message: 'The kernel names no capability: capabilities plug into it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The server never imports electron.' }],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'The server shares code with the counter only through shared/.',
            },
          ],
        },
      ],
    },
  },
  // ---- the shells name no capability: they read the registries (capabilities.ts, modules.ts) ----
  {
    files: ['electron/host/create-host.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./handlers/*', '!./handlers/types.js'],
              message: 'The host builds its handlers from capabilities.ts: add a module there.',
            },
            {
              // The till policy's type is the host's configuration; its values stay in the module.
              group: [
                '**/services/till/**',
                '**/services/deposits/**',
                '**/services/equipment/**',
                '**/services/adjustments/**',
                '**/services/returns/**',
              ],
              allowTypeImports: true,
              message: 'The host names no capability: capabilities plug in through capabilities.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/src/app/App.tsx', 'renderer/src/app/KeyBar.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // The account panel and the sign-in form are the shell's own; every other screen is a module's.
              group: ['../screens/*/*', '!../screens/account/*', '!../screens/sign-in/SignIn.js'],
              message: 'The shell routes and keys from app/modules.ts: declare screens and keys in a module.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/host/handlers/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='db']",
          message: 'Handlers hold no SQL: call a service.',
        },
        {
          selector:
            "MemberExpression[object.property.name='db'][property.name=/^(transaction|raw|select|schema)$/]",
          message: 'Handlers hold no SQL: call a service.',
        },
        {
          selector: "CallExpression[callee.name='db']",
          message: 'Handlers hold no SQL: call a service.',
        },
      ],
    },
  },
  {
    // The one Node-only corner of shared/: code both Node processes (counter and server) run, such as
    // the PIN verifier derivation and private file modes. The renderer may not import it (see above).
    files: ['shared/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ never imports electron.' }],
          patterns: [
            {
              group: ['**/electron/**', '**/server/**', '**/renderer/**'],
              message: 'shared/ imports nothing of the other folders.',
            },
          ],
        },
      ],
    },
  },
);
