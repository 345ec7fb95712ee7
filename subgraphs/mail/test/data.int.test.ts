import { createTestDatabase } from '../../../kit/testing';
import { mailDataSuite } from './support/data-suite';

mailDataSuite('embedded PostgreSQL', () => createTestDatabase('embedded'));
