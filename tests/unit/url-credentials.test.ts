import { describe, expect, it } from 'vitest';
import { splitCredentials } from '@/lib/domain/url-credentials';

describe('splitCredentials', () => {
  it('leaves a URL without credentials as it is', () => {
    expect(splitCredentials('http://mlflow:5000')).toEqual({ url: 'http://mlflow:5000' });
  });

  it('moves user and password into a Basic header, decoded from the URL', () => {
    const { url, authorization } = splitCredentials('https://ci%40corp:p%3Ass@mlflow.corp:8443/root/');
    expect(url).toBe('https://mlflow.corp:8443/root');
    expect(Buffer.from(authorization!.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe('ci@corp:p:ss');
    expect(url).not.toContain('p%3Ass');
  });

  it('handles a user without a password', () => {
    const { url, authorization } = splitCredentials('http://token@prometheus:9090');
    expect(url).toBe('http://prometheus:9090');
    expect(authorization).toBe(`Basic ${Buffer.from('token:').toString('base64')}`);
  });
});
