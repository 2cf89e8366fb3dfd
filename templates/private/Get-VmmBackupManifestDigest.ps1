function Get-VmmBackupManifestDigest {
    <#
    .SYNOPSIS
        The SHA-256 (hex) of the canonical text of a manifest, stored in the manifest as Digest so that a
        damaged or edited manifest is detected.
    .DESCRIPTION
        Canonical text, one line per item, UTF-8 without BOM, lines ending with LF, fields separated by TAB:
            P <name> <value>            each of -Properties, names in ordinal order (version 2 manifests)
            S <share>                   each share, in manifest order
            <share> <path> <length> <modified> <sha256>     each file, in manifest order
            ! <share> <path> [<error>]  each failure (the error only with -Properties, version 2)
        Version 1 manifests were digested without -Properties: their times, counts and failure reasons are
        outside the digest. Version 2 puts every field that decides a state (times, counts, extensions, the
        failure reasons) inside it. A date is written in UTC as yyyy-MM-ddTHH:mm:ss.fffffffZ, a list as its
        items joined by the unit separator (U+001F), $null as an empty value.
    .PARAMETER Shares
        The share paths, in manifest order.
    .PARAMETER Files
        The file entries (Share, Path, Length, Modified, Sha256).
    .PARAMETER Failed
        The entries that could not be backed up (Share, Path, Error).
    .PARAMETER Properties
        The other fields of the manifest (name to value), for a version 2 digest.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Shares,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Files,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Failed,

        [System.Collections.IDictionary] $Properties
    )

    $canonical = {
        param($Value)
        if ($null -eq $Value) { return '' }
        if ($Value -is [datetime]) {
            $utc = $Value
            if ($utc.Kind -eq [System.DateTimeKind]::Unspecified) { $utc = [datetime]::SpecifyKind($utc, [System.DateTimeKind]::Utc) }
            return $utc.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffffffZ', [System.Globalization.CultureInfo]::InvariantCulture)
        }
        if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) {
            return (@(foreach ($item in $Value) { [string]$item }) -join [string][char]0x1F)
        }
        [string]$Value
    }
    $builder = New-Object -TypeName System.Text.StringBuilder
    if ($null -ne $Properties) {
        $names = @(foreach ($key in $Properties.Keys) { [string]$key })
        [System.Array]::Sort([System.Array]$names, [System.Collections.IComparer][System.StringComparer]::Ordinal)
        foreach ($name in $names) {
            $null = $builder.Append('P').Append("`t").Append($name).Append("`t").Append((& $canonical $Properties[$name])).Append("`n")
        }
    }
    foreach ($share in $Shares) {
        $null = $builder.Append('S').Append("`t").Append([string]$share).Append("`n")
    }
    foreach ($file in $Files) {
        $null = $builder.Append([string]$file.Share).Append("`t").Append([string]$file.Path).Append("`t").Append([string]$file.Length).Append("`t").Append([string]$file.Modified).Append("`t").Append(([string]$file.Sha256).ToLowerInvariant()).Append("`n")
    }
    foreach ($failure in $Failed) {
        $null = $builder.Append('!').Append("`t").Append([string]$failure.Share).Append("`t").Append([string]$failure.Path)
        if ($null -ne $Properties) { $null = $builder.Append("`t").Append([string]$failure.Error) }
        $null = $builder.Append("`n")
    }
    $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($builder.ToString())
    $sha = New-VmmSha256
    try {
        ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
    } finally {
        $sha.Dispose()
    }
}
