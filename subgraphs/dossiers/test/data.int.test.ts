import { createTestDatabase } from '../../../kit/testing';
import { dossiersDataSuite } from './support/data-suite';

dossiersDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
