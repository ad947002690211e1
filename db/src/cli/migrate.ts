import { connect } from '../connect.ts';
import { migrate } from '../migrate.ts';

const connection = await connect();
try {
  await migrate(connection);
  console.log(`migrations applied (${connection.driver})`);
} finally {
  await connection.close();
}
