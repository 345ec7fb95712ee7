/** The same data tests against a PostgreSQL server given by URL (TEST_DATABASE_URL, default local trust auth). */
import { createTestDatabase } from '../../../kit/testing';
import { landDataSuite } from './support/data-suite';

landDataSuite('PostgreSQL server', () => createTestDatabase('server'));
