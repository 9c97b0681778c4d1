{{/* Selector labels: never change them between versions, Deployment selectors are immutable. */}}
{{- define "metrics-server.selectorLabels" -}}
app.kubernetes.io/name: metrics-server
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "metrics-server.labels" -}}
{{ include "metrics-server.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: metrics
{{- end }}
