import { createTestDatabase } from '../../../kit/testing';
import { budgetsDataSuite } from './support/data-suite';

budgetsDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
