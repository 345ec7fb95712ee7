// Runs before every test file: keep logs quiet unless asked for.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
// Gateways created in-process must not send @apollo/gateway's usage metrics (gateway/main.ts sets
// the same for the real process; the library itself does not write the environment).
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
