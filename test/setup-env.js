// Runs before every test file: keep logs quiet unless asked for.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
