function Get-VmmBackupManifestDigest {
    <#
    .SYNOPSIS
        The SHA-256 (hex) of the canonical text of a library manifest's shares, files and failures, stored in
        the manifest as Digest so that a damaged or edited manifest is detected.
    .PARAMETER Shares
        The share paths, in manifest order.
    .PARAMETER Files
        The file entries (Share, Path, Length, Modified, Sha256).
    .PARAMETER Failed
        The entries that could not be backed up (Share, Path).
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
        [object[]] $Failed
    )

    $builder = New-Object -TypeName System.Text.StringBuilder
    foreach ($share in $Shares) {
        $null = $builder.Append('S').Append("`t").Append([string]$share).Append("`n")
    }
    foreach ($file in $Files) {
        $null = $builder.Append([string]$file.Share).Append("`t").Append([string]$file.Path).Append("`t").Append([string]$file.Length).Append("`t").Append([string]$file.Modified).Append("`t").Append(([string]$file.Sha256).ToLowerInvariant()).Append("`n")
    }
    foreach ($failure in $Failed) {
        $null = $builder.Append('!').Append("`t").Append([string]$failure.Share).Append("`t").Append([string]$failure.Path).Append("`n")
    }
    $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($builder.ToString())
    $sha = New-VmmSha256
    try {
        ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace('-', '').ToLowerInvariant()
    } finally {
        $sha.Dispose()
    }
}
