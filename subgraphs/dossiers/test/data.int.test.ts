import { createTestDatabase } from '../../../kit/testing';
import { dossiersDataSuite } from './data-suite';

dossiersDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
