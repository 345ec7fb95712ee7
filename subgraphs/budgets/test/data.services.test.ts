/** The same data tests against a PostgreSQL server given by URL (TEST_DATABASE_URL, default local trust auth). */
import { createTestDatabase } from '../../../kit/testing';
import { budgetsDataSuite } from './support/data-suite';

budgetsDataSuite('PostgreSQL server', () => createTestDatabase('server'));
