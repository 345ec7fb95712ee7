/** The same data tests against a PostgreSQL server given by URL (TEST_DATABASE_URL, default local trust auth). */
import { createTestDatabase } from '../../../kit/testing';
import { mailDataSuite } from './support/data-suite';

mailDataSuite('PostgreSQL server', () => createTestDatabase('server'));
