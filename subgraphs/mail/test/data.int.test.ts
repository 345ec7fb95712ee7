import { createTestDatabase } from '../../../kit/testing';
import { mailDataSuite } from './data-suite';

mailDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
