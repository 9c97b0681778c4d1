{{/* Selector labels: never change them between versions, DaemonSet selectors are immutable. */}}
{{- define "fluent-bit.selectorLabels" -}}
app.kubernetes.io/name: fluent-bit
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fluent-bit.labels" -}}
{{ include "fluent-bit.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: log-collector
{{- end }}

{{/* The destination port: the one set, or the usual port of the output type. */}}
{{- define "fluent-bit.port" -}}
{{- $defaults := dict "es" 9200 "loki" 3100 "forward" 24224 -}}
{{- default (get $defaults .Values.output.type) .Values.output.port -}}
{{- end }}

{{/* TLS settings shared by the network outputs. */}}
{{- define "fluent-bit.tls" -}}
{{- if .Values.output.tls }}
    tls                 On
    tls.verify          {{ ternary "On" "Off" .Values.output.tlsVerify }}
{{- else }}
    tls                 Off
{{- end }}
{{- end }}

{{/* The [OUTPUT] section for .Values.output.type. */}}
{{- define "fluent-bit.output" -}}
{{- $o := .Values.output -}}
[OUTPUT]
{{- if eq $o.type "es" }}
    Name                es
    Match               kube.*
    Host                {{ $o.host }}
    Port                {{ include "fluent-bit.port" . }}
    Logstash_Format     On
    Logstash_Prefix     kubernetes
    Replace_Dots        On
    Suppress_Type_Name  On
    Trace_Error         On
    Retry_Limit         10
    storage.total_limit_size {{ .Values.filesystemBufferLimit }}
{{- include "fluent-bit.tls" . }}
{{- else if eq $o.type "loki" }}
    Name                loki
    Match               kube.*
    Host                {{ $o.host }}
    Port                {{ include "fluent-bit.port" . }}
    Labels              job=fluent-bit{{ if .Values.clusterName }}, cluster={{ .Values.clusterName }}{{ end }}, namespace=$kubernetes['namespace_name'], pod=$kubernetes['pod_name'], container=$kubernetes['container_name']
    Line_Format         json
    Retry_Limit         10
    storage.total_limit_size {{ .Values.filesystemBufferLimit }}
{{- include "fluent-bit.tls" . }}
{{- else if eq $o.type "forward" }}
    Name                forward
    Match               kube.*
    Host                {{ $o.host }}
    Port                {{ include "fluent-bit.port" . }}
    Retry_Limit         10
    storage.total_limit_size {{ .Values.filesystemBufferLimit }}
{{- include "fluent-bit.tls" . }}
{{- else }}
    Name                stdout
    Match               kube.*
    Format              json_lines
    storage.total_limit_size {{ .Values.filesystemBufferLimit }}
{{- end }}
{{- end }}
