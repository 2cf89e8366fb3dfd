<#
    Shared by the Pester tests of the cmdlets (Pester/Public/*.Tests.ps1, Pester/Drill/*.Tests.ps1):
    imports the generated VMM stubs and VmmBackup, checks output objects
    against generated/schemas, and lists the VMM calls that change something.
#>
Set-StrictMode -Version 2.0

$script:RepoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent

function Import-VmmTestModule {
    # The stubs first (VmmBackup calls the VMM cmdlets by name), then the module under test.
    $stubRoot = Join-Path $script:RepoRoot 'generated'
    if ($env:VMM_STUB_ROOT) { $stubRoot = $env:VMM_STUB_ROOT }
    Get-Module VmmBackup, VirtualMachineManager, ScheduledTasks | Remove-Module -Force
    Import-Module (Join-Path $stubRoot 'stubs/VirtualMachineManager/VirtualMachineManager.psd1') -Force -Global -ErrorAction Stop
    Import-Module (Join-Path $script:RepoRoot 'generated/stubs/ScheduledTasks/ScheduledTasks.psd1') -Force -Global -ErrorAction Stop
    Import-Module (Join-Path $script:RepoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force -Global -ErrorAction Stop
}

function Remove-VmmTestModule {
    Get-Module VmmBackup, VirtualMachineManager, ScheduledTasks | Remove-Module -Force
}

function Get-VmmMutatingCall {
    <#
        The recorded VMM calls that change something (every verb but Get), optionally only those not under
        -WhatIf, and only from the call numbered -Since on.
    #>
    param([switch] $ExceptWhatIf, [int] $Since = 0)
    Get-VmmStubCall | Where-Object { $_.Index -ge $Since -and $_.CommandName -notmatch '^Get-' -and (-not $ExceptWhatIf -or -not $_.WhatIf) }
}

function Assert-VmmOutputSchema {
    <#
        Throws unless the object has exactly the properties of the cmdlet's output schema, in order, with the
        schema's PSTypeName (title), types, enums and nullability.
    #>
    param(
        [Parameter(Mandatory = $true)] $InputObject,
        [Parameter(Mandatory = $true)] [string] $CmdletName
    )
    $schema = Get-Content -Raw -Path (Join-Path $script:RepoRoot "generated/schemas/$CmdletName.output.schema.json") | ConvertFrom-Json
    if ($InputObject.PSObject.TypeNames[0] -ne $schema.title) {
        throw "PSTypeName is '$($InputObject.PSObject.TypeNames[0])', the schema says '$($schema.title)'"
    }
    $actual = @($InputObject.PSObject.Properties | Where-Object MemberType -EQ 'NoteProperty' | ForEach-Object Name)
    # Properties the schema does not require (ComputerName of a fan-out result) are checked only when present.
    $required = @($schema.required)
    $expected = @($schema.properties.PSObject.Properties.Name | Where-Object { $required -contains $_ -or $actual -contains $_ })
    if (($expected -join ',') -ne ($actual -join ',')) {
        throw "properties are [$($actual -join ', ')], the schema says [$($expected -join ', ')]"
    }
    foreach ($name in $expected) {
        $rule = $schema.properties.$name
        $types = @($rule.type)
        $value = $InputObject.$name
        if ($null -eq $value) {
            if ($types -notcontains 'null') { throw "$name is null but the schema does not allow null" }
            continue
        }
        $ok = $false
        foreach ($type in $types) {
            switch ($type) {
                'string' {
                    if ($null -ne $rule.PSObject.Properties['format'] -and $rule.format -eq 'date-time') { if ($value -is [datetime]) { $ok = $true } }
                    elseif ($value -is [string]) { $ok = $true }
                }
                'integer' { if ($value -is [int] -or $value -is [long]) { $ok = $true } }
                'number' { if ($value -is [double] -or $value -is [int] -or $value -is [long] -or $value -is [decimal]) { $ok = $true } }
                'boolean' { if ($value -is [bool]) { $ok = $true } }
                'array' { if ($value -is [array]) { $ok = $true } }
                'object' { if ($value -is [System.Security.SecureString] -or $value -is [psobject]) { $ok = $true } }
            }
        }
        if (-not $ok) { throw "$name is a $($value.GetType().FullName), the schema says $($types -join '|')" }
        if ($null -ne $rule.PSObject.Properties['enum'] -and @($rule.enum) -notcontains $value) {
            throw "$name is '$value', not one of $(@($rule.enum) -join ', ')"
        }
    }
}

function New-TestHost {
    param([string] $Name, [string] $State = 'Responding', [bool] $Perimeter = $false)
    New-VmmStubObject -TypeName Host -Property ([ordered]@{ Name = $Name; ComputerName = $Name; CommunicationState = $State; PerimeterNetworkHost = $Perimeter; HostCluster = $null })
}

function New-TestVM {
    param([string] $Name, [string] $VMHost, [string] $Status = 'Running', [hashtable] $Extra = @{})
    $property = [ordered]@{ Name = $Name; VMHost = $VMHost; Status = $Status }
    foreach ($key in $Extra.Keys) { $property[$key] = $Extra[$key] }
    New-VmmStubObject -TypeName VM -Property $property
}

function New-TestVerificationRecord {
    <# The record Backup-VmmDatabase writes beside a .bak after RESTORE VERIFYONLY succeeded: File, SizeBytes and
       Sha256 of the file as it is now (each may be overridden to forge a record for another file). #>
    param([string] $Path, [string] $File, [object] $SizeBytes, [string] $Sha256)
    $item = Get-Item -LiteralPath $Path
    if (-not $PSBoundParameters.ContainsKey('File')) { $File = $item.Name }
    if (-not $PSBoundParameters.ContainsKey('SizeBytes')) { $SizeBytes = $item.Length }
    if (-not $PSBoundParameters.ContainsKey('Sha256')) {
        $sha = [System.Security.Cryptography.SHA256]::Create()
        try {
            $Sha256 = ([System.BitConverter]::ToString($sha.ComputeHash([System.IO.File]::ReadAllBytes($Path)))).Replace('-', '').ToLowerInvariant()
        } finally {
            $sha.Dispose()
        }
    }
    $record = [ordered]@{ File = $File; SizeBytes = $SizeBytes; Sha256 = $Sha256; Verified = $true; VerifiedAt = '2026-01-01T01:01:01.0000000Z'; Method = 'Sql'; SqlServer = 'sql01'; Database = 'VirtualManagerDB' }
    [System.IO.File]::WriteAllText($Path + '.verify.json', (ConvertTo-Json -InputObject $record))
}

function Write-RandomFile {
    <#
    .SYNOPSIS
        Writes Count files of random bytes (as many as Buffer holds), named by Format ({0} is the index), each
        filled anew from Random (seeded by the caller, so the files are the same on every run).
    .EXAMPLE
        Write-RandomFile -Format (Join-Path $share 'VHDs/disk{0:D3}.vhdx') -Count 40 -Buffer (New-Object byte[] 65536) -Random (New-Object System.Random 5)
    #>
    param([string] $Format, [int] $Count, [byte[]] $Buffer, [System.Random] $Random)
    for ($i = 0; $i -lt $Count; $i++) {
        $Random.NextBytes($Buffer)
        [System.IO.File]::WriteAllBytes(($Format -f $i), $Buffer)
    }
}

Export-ModuleMember -Function Import-VmmTestModule, Remove-VmmTestModule, Get-VmmMutatingCall, Assert-VmmOutputSchema, New-TestHost, New-TestVM, New-TestVerificationRecord, Write-RandomFile
