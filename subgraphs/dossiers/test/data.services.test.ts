/** The same data tests against a PostgreSQL server given by URL (TEST_DATABASE_URL, default local trust auth). */
import { createTestDatabase } from '../../../kit/testing';
import { dossiersDataSuite } from './support/data-suite';

dossiersDataSuite('PostgreSQL server', () => createTestDatabase('server'));
