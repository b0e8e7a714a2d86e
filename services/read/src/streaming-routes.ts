import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RockConfig } from '@rock/config';
import type { RockLogger } from '@rock/observability';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { FilesService } from './files/files.service';
import { registerTransferRoutes } from './files/transfer.routes';
import { READ_CONFIG, READ_LOGGER } from './infra/read.tokens';
import { registerProxyRoutes } from './proxy/proxy.routes';
import { ProxyService } from './proxy/proxy.service';
import { UpgradeHandler } from './proxy/upgrade.handler';

/**
 * Routes that stream (upload, download, proxy) and WebSocket upgrades (proxy, portforward) are
 * plain Fastify routes next to the Nest controllers: Nest's body handling would buffer them.
 * Registered on the host's Fastify instance when the module initialises, so local mode gets them too.
 */
@Injectable()
export class StreamingRoutes implements OnModuleInit, OnApplicationShutdown {
  private upgrades: UpgradeHandler | null = null;
  private onUpgrade: ((request: IncomingMessage, socket: Duplex, head: Buffer) => void) | null = null;

  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(READ_CONFIG) private readonly config: RockConfig,
    @Inject(READ_LOGGER) private readonly logger: RockLogger,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(ProxyService) private readonly proxy: ProxyService,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const auth = this.config.auth;
    await fastify.register(async (scope) => registerTransferRoutes(scope, this.files, auth));
    await registerProxyRoutes(fastify, this.proxy, auth);
    const upgrades = new UpgradeHandler(this.proxy, auth, this.logger);
    this.upgrades = upgrades;
    this.onUpgrade = (request, socket, head) => upgrades.handle(request, socket, head);
    fastify.server.on('upgrade', this.onUpgrade);
  }

  onApplicationShutdown(): void {
    if (this.onUpgrade) this.host.httpAdapter.getInstance<FastifyInstance>().server.off('upgrade', this.onUpgrade);
    this.upgrades?.close();
  }
}
