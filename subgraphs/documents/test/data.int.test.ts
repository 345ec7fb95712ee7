import { createTestDatabase } from '../../../kit/testing';
import { documentsDataSuite } from './data-suite';

documentsDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
