{{/* Names, labels and the one validation helper of the chart. */}}

{{- define "rock.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "rock.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "rock.labels" -}}
app.kubernetes.io/name: {{ include "rock.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: include "rock.selectorLabels" (dict "ctx" $ "component" "write") */}}
{{- define "rock.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rock.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "rock.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "rock.sandboxNamespace" -}}
{{- default .Release.Namespace .Values.sandbox.namespace -}}
{{- end -}}

{{- define "rock.instance" -}}
{{- default .Release.Name .Values.config.instance -}}
{{- end -}}

{{- define "rock.apiKeySecretName" -}}
{{- default (printf "%s-api-keys" (include "rock.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "rock.redisSecretName" -}}
{{- if and (not .Values.redis.enabled) .Values.redis.external.existingSecret -}}
{{- .Values.redis.external.existingSecret -}}
{{- else -}}
{{- printf "%s-redis-url" (include "rock.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "rock.redisSecretKey" -}}
{{- if and (not .Values.redis.enabled) .Values.redis.external.existingSecret -}}
{{- .Values.redis.external.existingSecretKey -}}
{{- else -}}
redis-url
{{- end -}}
{{- end -}}

{{/*
Every invalid combination of values, reported at once: one `fail` listing them all.
values.schema.json checks each value alone; this checks how they fit together.
*/}}
{{- define "rock.validateValues" -}}
{{- $errors := list -}}
{{- if and (not .Values.redis.enabled) (not .Values.redis.external.url) (not .Values.redis.external.existingSecret) -}}
{{- $errors = append $errors "redis: redis.enabled=false needs redis.external.url or redis.external.existingSecret" -}}
{{- end -}}
{{- if and .Values.redis.enabled (or .Values.redis.external.url .Values.redis.external.existingSecret) -}}
{{- $errors = append $errors "redis: redis.external.* is set while the bundled Redis is enabled; set redis.enabled=false to use an external Redis" -}}
{{- end -}}
{{- if and .Values.redis.external.url (not (regexMatch "^rediss?://" .Values.redis.external.url)) -}}
{{- $errors = append $errors (printf "redis.external.url: must start with redis:// or rediss:// (got %q)" .Values.redis.external.url) -}}
{{- end -}}
{{- if lt (int .Values.write.replicaCount) 2 -}}
{{- $errors = append $errors (printf "write.replicaCount: must be >= 2 for a highly available lifecycle queue (got %d)" (int .Values.write.replicaCount)) -}}
{{- end -}}
{{- if .Values.read.autoscaling.enabled -}}
{{- if gt (int .Values.read.autoscaling.minReplicas) (int .Values.read.autoscaling.maxReplicas) -}}
{{- $errors = append $errors (printf "read.autoscaling: minReplicas (%d) must be <= maxReplicas (%d)" (int .Values.read.autoscaling.minReplicas) (int .Values.read.autoscaling.maxReplicas)) -}}
{{- end -}}
{{- if not (dig "requests" "cpu" "" .Values.read.resources) -}}
{{- $errors = append $errors "read.resources.requests.cpu: required when read.autoscaling.enabled (the HPA scales on CPU utilisation of the request)" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.read.pdb.enabled (not .Values.read.autoscaling.enabled) (ge (int .Values.read.pdb.minAvailable) (int .Values.read.replicaCount)) -}}
{{- $errors = append $errors (printf "read.pdb.minAvailable: must be < read.replicaCount (%d) or no read pod can ever be evicted" (int .Values.read.replicaCount)) -}}
{{- end -}}
{{- if and .Values.read.pdb.enabled .Values.read.autoscaling.enabled (ge (int .Values.read.pdb.minAvailable) (int .Values.read.autoscaling.minReplicas)) -}}
{{- $errors = append $errors (printf "read.pdb.minAvailable: must be < read.autoscaling.minReplicas (%d) or no read pod can ever be evicted" (int .Values.read.autoscaling.minReplicas)) -}}
{{- end -}}
{{- if and .Values.write.pdb.enabled (ge (int .Values.write.pdb.minAvailable) (int .Values.write.replicaCount)) -}}
{{- $errors = append $errors (printf "write.pdb.minAvailable: must be < write.replicaCount (%d) or no write pod can ever be evicted" (int .Values.write.replicaCount)) -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.host) -}}
{{- $errors = append $errors "ingress.tls.enabled: needs ingress.host (the certificate names a host)" -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- $errors = append $errors "ingress.tls.secretName: required when ingress.tls.enabled" -}}
{{- end -}}
{{- if and .Values.sandbox.createNamespace (not .Values.sandbox.namespace) -}}
{{- $errors = append $errors "sandbox.createNamespace: needs sandbox.namespace (the release namespace already exists)" -}}
{{- end -}}
{{- if and .Values.sandbox.networkPolicy.enabled .Values.sandbox.networkPolicy.allowEgress (empty .Values.sandbox.networkPolicy.allowedEgressCIDRs) -}}
{{- $errors = append $errors "sandbox.networkPolicy.allowedEgressCIDRs: must list at least one CIDR when allowEgress is true (set allowEgress=false to deny egress)" -}}
{{- end -}}
{{- if and .Values.sandbox.networkPolicy.enabled .Values.sandbox.networkPolicy.allowEgress -}}
{{- range $allowed := .Values.sandbox.networkPolicy.allowedEgressCIDRs -}}
{{- range $blocked := $.Values.sandbox.networkPolicy.blockedEgressCIDRs -}}
{{- if include "rock.cidrContains" (dict "outer" $blocked "inner" $allowed) -}}
{{- $errors = append $errors (printf "sandbox.networkPolicy.allowedEgressCIDRs: %s lies inside blocked %s, so it allows nothing; remove one of them" $allowed $blocked) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.auth.apiKeys (not .Values.auth.existingSecret) -}}
{{- range $entry := splitList "," .Values.auth.apiKeys -}}
{{- $parts := splitList ":" (trim $entry) -}}
{{- if or (ne (len $parts) 2) (lt (len (first $parts)) 16) (not (last $parts)) -}}
{{- $errors = append $errors (printf "auth.apiKeys: entry %q must be key:principal with a key of >= 16 characters" (trim $entry)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.config.metricsEnabled) -}}
{{- $errors = append $errors "metrics.serviceMonitor.enabled: needs config.metricsEnabled=true (nothing to scrape otherwise)" -}}
{{- end -}}
{{- if $errors -}}
{{- fail (printf "\n\nINVALID VALUES (%d):\n  - %s\n" (len $errors) (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by write and read: ROCK_* names of libs/config. */}}
{{- define "rock.commonEnv" -}}
- name: ROCK_HOST
  value: "0.0.0.0"
- name: ROCK_PORT
  value: "8080"
- name: ROCK_LOG_LEVEL
  value: {{ include "rock.envValue" .Values.config.logLevel }}
- name: ROCK_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "rock.redisSecretName" . }}
      key: {{ include "rock.redisSecretKey" . }}
- name: ROCK_REDIS_PREFIX
  value: {{ include "rock.envValue" .Values.config.redisPrefix }}
- name: ROCK_RUNTIME
  value: kubernetes
- name: ROCK_K8S_NAMESPACE
  value: {{ include "rock.sandboxNamespace" . | quote }}
- name: ROCK_INSTANCE
  value: {{ include "rock.instance" . | quote }}
- name: ROCK_ROCKLET_PORT
  value: {{ include "rock.envValue" .Values.config.rockletPort }}
- name: ROCK_OUTPUT_CAP_BYTES
  value: {{ include "rock.envValue" .Values.config.outputCapBytes }}
- name: ROCK_METRICS_ENABLED
  value: {{ include "rock.envValue" .Values.config.metricsEnabled }}
- name: ROCK_API_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "rock.apiKeySecretName" . }}
      key: {{ if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}api-keys{{ end }}
- name: ROCK_AUTH_ENABLED
  value: "true"
{{- with .Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Probes and ports of a ROCK service container. */}}
{{- define "rock.containerCommon" -}}
ports:
  - name: http
    containerPort: 8080
    protocol: TCP
livenessProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /readyz, port: http }
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
startupProbe:
  httpGet: { path: /healthz, port: http }
  periodSeconds: 2
  failureThreshold: 60
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}

{{/* IPv4 CIDR "a.b.c.d/n" as (dict "ip" <int64> "bits" <n>). */}}
{{- define "rock.parseCidr" -}}
{{- $parts := splitList "/" . -}}
{{- $octets := splitList "." (first $parts) -}}
{{- $ip := 0 -}}
{{- range $octets -}}{{- $ip = add (mul $ip 256) (int64 .) -}}{{- end -}}
{{- toJson (dict "ip" $ip "bits" (int64 (last $parts))) -}}
{{- end -}}

{{/* "true" when CIDR .inner lies inside CIDR .outer (both IPv4). */}}
{{- define "rock.cidrContains" -}}
{{- $outer := include "rock.parseCidr" .outer | fromJson -}}
{{- $inner := include "rock.parseCidr" .inner | fromJson -}}
{{- if ge (int64 $inner.bits) (int64 $outer.bits) -}}
{{- $block := 1 -}}
{{- range until (int (sub 32 (int64 $outer.bits))) -}}{{- $block = mul $block 2 -}}{{- end -}}
{{- if eq (div (int64 $inner.ip) $block) (div (int64 $outer.ip) $block) -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/* A map as "key=value,..." (sorted), the format of ROCK_K8S_NODE_SELECTOR. */}}
{{- define "rock.keyValueList" -}}
{{- $pairs := list -}}
{{- range $key, $value := . -}}{{- $pairs = append $pairs (printf "%s=%s" $key $value) -}}{{- end -}}
{{- join "," $pairs -}}
{{- end -}}

{{/* A value as an env string: whole numbers without the exponent Helm's float64 printing uses (1048576, not 1.048576e+06). */}}
{{- define "rock.envValue" -}}
{{- if or (kindIs "float64" .) (kindIs "int64" .) (kindIs "int" .) -}}
{{- if eq (float64 .) (float64 (int64 .)) -}}{{- int64 . | toString | quote -}}{{- else -}}{{- . | toString | quote -}}{{- end -}}
{{- else -}}
{{- . | toString | quote -}}
{{- end -}}
{{- end -}}
