import { openDatabase } from '../../../kit/db';
import { documentsDataSuite } from './data-suite';

documentsDataSuite('embedded PGlite', () => openDatabase());
