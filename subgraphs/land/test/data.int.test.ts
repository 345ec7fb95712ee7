import { createTestDatabase } from '../../../kit/testing';
import { landDataSuite } from './data-suite';

landDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
