import { createTestDatabase } from '../../../kit/testing';
import { documentsDataSuite } from './support/data-suite';

documentsDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
