{{/* Chart name, at most 63 characters. */}}
{{- define "inlet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name: the release name, with the chart name unless the release name contains it. */}}
{{- define "inlet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "inlet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "inlet.labels" -}}
helm.sh/chart: {{ include "inlet.chart" . }}
{{ include "inlet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: inlet
{{- end }}

{{/* Labels that select the pods: never change them on an upgrade. */}}
{{- define "inlet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "inlet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The Secret with server-secret, admin-token, connector-token (and database-password). */}}
{{- define "inlet.secretName" -}}
{{- .Values.existingSecret | default (include "inlet.fullname" .) }}
{{- end }}

{{/* True (non-empty) when the embedded PostgreSQL is used. */}}
{{- define "inlet.embeddedDatabase" -}}
{{- if not .Values.externalDatabase.url }}true{{ end }}
{{- end }}

{{/* The PersistentVolumeClaim of the embedded database, empty when there is none. */}}
{{- define "inlet.claimName" -}}
{{- if and (include "inlet.embeddedDatabase" .) .Values.persistence.enabled }}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "inlet.fullname" .)) }}
{{- end }}
{{- end }}

{{/* Stops the render on settings that cannot work. */}}
{{- define "inlet.validate" -}}
{{- if and (include "inlet.embeddedDatabase" .) (gt (int .Values.replicaCount) 1) }}
{{- fail (printf "replicaCount is %d but externalDatabase.url is empty: the embedded PostgreSQL lives in one pod's volume and cannot be shared, so more than 1 replica needs an external PostgreSQL (set externalDatabase.url)" (int .Values.replicaCount)) }}
{{- end }}
{{- range $key := list "adminToken" "connectorToken" }}
{{- $token := index $.Values.secrets $key | default "" }}
{{- if and $token (lt (len $token) 32) }}
{{- fail (printf "secrets.%s has %d characters but Inlet refuses tokens shorter than 32 at start: leave it empty to have one generated, or set a random one (openssl rand -base64 32)" $key (len $token)) }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) }}
{{- fail "ingress.enabled needs ingress.host (the host of the payment pointers)" }}
{{- end }}
{{- end }}
