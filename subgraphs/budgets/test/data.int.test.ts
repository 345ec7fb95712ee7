import { createTestDatabase } from '../../../kit/testing';
import { budgetsDataSuite } from './data-suite';

budgetsDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
