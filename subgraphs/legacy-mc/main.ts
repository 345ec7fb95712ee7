/**
 * The legacy-mc process. Outside production, without `MOTCUA_URL`, it first starts the stand-in vendor
 * system (standin/server.ts) on a free port with a fresh API key, so `npm start` serves the whole graph;
 * a province sets `MOTCUA_URL` and `MOTCUA_API_KEY` to its real system instead.
 */
import { randomBytes } from 'node:crypto';
import { runSubgraphMain } from '../../kit';
import { startStandIn } from './standin/server';
import { legacyMc } from './subgraph';

async function main(): Promise<void> {
  if (!process.env.MOTCUA_URL && process.env.NODE_ENV !== 'production') {
    const apiKey = process.env.MOTCUA_API_KEY || randomBytes(16).toString('hex');
    const standIn = await startStandIn({ apiKey });
    process.env.MOTCUA_URL = standIn.url;
    process.env.MOTCUA_API_KEY = apiKey;
  }
  runSubgraphMain(legacyMc);
}

void main();
