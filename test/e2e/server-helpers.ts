import { connect } from 'node:net';

const ROW = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };

/**
 * A POST /predict whose body arrives in two halves: the request is in flight until `finish()` sends
 * the second half. Resolves `answer` with the raw response once the server closed the connection.
 */
export function slowRequest(url: string): { answer: Promise<string>; finish: () => void } {
  const body = JSON.stringify([ROW]);
  const half = Math.floor(body.length / 2);
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString();
  });
  socket.on('error', () => {});
  socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`);
  return {
    answer: new Promise((resolve) => socket.on('close', () => resolve(answer))),
    finish: () => socket.write(body.slice(half)),
  };
}
