import { createTestDatabase } from '../../../kit/testing';
import { landDataSuite } from './support/data-suite';

landDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
