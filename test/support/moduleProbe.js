// Preloaded (`node --require`) into a gateway process by gateway/test/engineIsolation.int.test.ts:
// records every module under @apollo/gateway/dist the process loads and how many ApolloGateway
// objects it constructs, and writes both as JSON to MODULE_PROBE_OUT when the process exits.
const Module = require('node:module');
const fs = require('node:fs');

const out = process.env.MODULE_PROBE_OUT;
const DIST = /[\\/]@apollo[\\/]gateway[\\/]dist[\\/](.*)$/;
const loaded = new Set();
let constructed = 0;

const load = Module._load;
Module._load = function probedLoad(request, parent, isMain) {
  const exports = load.apply(this, arguments);
  let file;
  try {
    file = Module._resolveFilename(request, parent, isMain);
  } catch {
    return exports;
  }
  const match = DIST.exec(file);
  if (match) {
    loaded.add(match[1].replace(/\\/g, '/'));
    if (match[1] === 'index.js' && exports.ApolloGateway && !exports.ApolloGateway.probed) {
      const ApolloGateway = exports.ApolloGateway;
      const counted = new Proxy(ApolloGateway, {
        construct(target, args, newTarget) {
          constructed += 1;
          return Reflect.construct(target, args, newTarget === counted ? target : newTarget);
        },
        get: (target, key, receiver) => (key === 'probed' ? true : Reflect.get(target, key, receiver)),
      });
      Object.defineProperty(exports, 'ApolloGateway', {
        value: counted,
        enumerable: true,
        configurable: true,
      });
    }
  }
  return exports;
};

process.on('exit', () => {
  fs.writeFileSync(out, JSON.stringify({ loaded: [...loaded].sort(), constructed }));
});
